/**
 * What an API token may do. The names are ours (Slide Score's own machine names were never published); the
 * meaning of the first five follows the Slide Score docs' capability list.
 */
export const CAPABILITIES = [
  'CanUpload',
  'CanCreateFolders',
  'CanUploadScores',
  'CanGetConfig',
  'CanGetPixels',
  'CanGetResults',
  'CanManageStudies',
  'CanDownloadSlides',
  'CanManageTokens',
  'CanManageUsers',
] as const;

export type Capability = (typeof CAPABILITIES)[number];

const byLowerCase = new Map(CAPABILITIES.map((c) => [c.toLowerCase(), c]));

/**
 * Parses a comma-separated list, case-insensitively; `all` stands for every capability. Unknown names are
 * returned separately, not dropped.
 */
export function parseCapabilities(text: string): { capabilities: Capability[]; unknown: string[] } {
  const capabilities = new Set<Capability>();
  const unknown: string[] = [];
  for (const raw of text.split(',')) {
    const name = raw.trim();
    if (name === '') continue;
    if (name.toLowerCase() === 'all') {
      for (const capability of CAPABILITIES) capabilities.add(capability);
      continue;
    }
    const capability = byLowerCase.get(name.toLowerCase());
    if (capability) capabilities.add(capability);
    else unknown.push(name);
  }
  return { capabilities: [...capabilities], unknown };
}

export function isCapability(name: string): name is Capability {
  return (CAPABILITIES as readonly string[]).includes(name);
}
