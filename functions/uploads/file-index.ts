/**
 * The upload file index: which committed file lives at each `<folder>/<filename>` and where its bytes are.
 * Paths are case-sensitive, as in S3. Nothing is ever removed; committing a path again repoints it.
 */
export interface IndexedFile {
  folder: string;
  filename: string;
  /** `folder/filename`, or `filename` in the root. */
  path: string;
  /** The S3 object (in the deployment's bucket) that holds the bytes. */
  key: string;
  size: number;
  /** The tus upload the bytes came from. */
  uploadId: string;
  committedOn: string;
  /** Id of the API token that committed it. */
  committedBy: string;
  /**
   * The file's first bytes (base64), read once at commit: whether a file is a slide, and which kind, is told
   * from them without reading the file again at every import.
   */
  head?: string;
}

export interface FileIndex {
  /** The root (`""`) always exists; a folder exists once a file was committed to it. */
  folderExists(folder: string): Promise<boolean>;
  listFolders(): Promise<string[]>;
  get(folder: string, filename: string): Promise<IndexedFile | undefined>;
  /** The files of one folder, by name, a page at a time. */
  list(folder: string): AsyncIterable<IndexedFile>;
  /**
   * Points the path at a file. Of two commits racing for one path, the later `committedOn` wins; returns
   * false when a later commit was already there (this one changed nothing).
   */
  commit(file: IndexedFile): Promise<boolean>;
}
