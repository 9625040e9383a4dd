/** An attachment: a file uploaded for a study's descriptions, served at `/a/{id}/{guid}/{filename}`. */
export interface Attachment {
  id: number;
  studyId: number;
  /** The secret part of its link (32 hex digits). */
  guid: string;
  /** The name the uploader gave, as in the link. */
  filename: string;
  /** The upload path it is stored under: `_attachments_<studyId>/<guid>-<filename>`. */
  path: string;
  createdOn: string;
  /** Id of the API token that asked for it. */
  createdBy: string;
}

export interface AttachmentStore {
  /** Creates a record with a new ID. */
  create(attachment: Omit<Attachment, 'id'>): Promise<Attachment>;
  get(id: number): Promise<Attachment | undefined>;
}
