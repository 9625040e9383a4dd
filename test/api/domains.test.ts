import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '../support/http-client.js';
import { createStudy, fixture, uniqueStudyName } from '../support/studies.js';

let studyId: number;
let limitedToken: string;
const domainName = `Hospital ${Date.now()}`;
const READER = `domain-reader-${Date.now()}@example.org`;

beforeAll(async () => {
  const name = uniqueStudyName('domains');
  studyId = await createStudy(name, {
    [`study.${name}.emails`]: `${READER};canscore\n`,
    [`${name}/slide.svs`]: fixture('openslide-small.svs'),
  });
  const reply = await call('POST', '/Admin/CreateToken', {
    form: {
      name: 'domains test',
      capabilities: 'CanManageStudies,CanGetConfig,CanGetPixels,CanGetResults,CanUploadScores',
      studies: String(studyId),
    },
  });
  limitedToken = reply.json<{ token: string }>().token;
}, 60_000);

describe('domains', () => {
  it('makes, reads and changes the domain of a study', async () => {
    const none = await call('GET', '/Api/GetDomainForStudy', { form: { studyId } });
    expect(none.json()).toEqual({ success: true });
    const made = await call('POST', '/Api/UpsertDomain', {
      form: { name: domainName, host: 'https://Scoring.Example.org/', description: 'Pathology' },
    });
    expect(made.json()).toEqual({ success: true, created: true });
    expect((await call('POST', '/Api/SetDomainForStudy', { form: { studyId, domainName } })).json()).toEqual({
      success: true,
    });
    const read = await call('GET', '/Api/GetDomainForStudy', { form: { studyId }, token: limitedToken });
    expect(read.json()).toEqual({
      success: true,
      domain: {
        name: domainName,
        host: 'scoring.example.org',
        url: 'https://scoring.example.org',
        description: 'Pathology',
      },
    });
    const changed = await call('POST', '/Api/UpsertDomain', {
      form: { name: domainName.toUpperCase(), host: 'other.example.org' },
    });
    expect(changed.json()).toEqual({ success: true, created: false });
    const reread = await call('GET', '/Api/GetDomainForStudy', { form: { studyId } });
    expect(reread.json<{ domain: { url: string } }>().domain.url).toBe('https://other.example.org');
  });

  it("makes the study's QuPath links on its domain, and on the request's address again once removed", async () => {
    await call('POST', '/Api/UpsertDomain', { form: { name: domainName, host: 'scoring.example.org' } });
    await call('POST', '/Api/SetDomainForStudy', { form: { studyId, domainName } });
    const links = await call('GET', '/Api/GetQupathTokensForStudy', { form: { studyId, email: READER } });
    expect(links.json<{ url: string }[]>()[0]?.url).toMatch(
      /^https:\/\/scoring\.example\.org\/i\/\d+\/[^/]+\/SlideScoreMetadata\.json$/,
    );
    const login = await call('POST', '/Api/GenerateLoginLink', { form: { username: READER, expiresOn: '2030-01-01' } });
    expect(login.json<{ link: string }>().link).toMatch(/^https:\/\/scoring\.example\.org\/Account\/LoginWithLink\?/);
    await call('POST', '/Api/SetDomainForStudy', { form: { studyId, domainName: '' } });
    const again = await call('GET', '/Api/GetQupathTokensForStudy', { form: { studyId, email: READER } });
    expect(again.json<{ url: string }[]>()[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/i\//);
    expect((await call('GET', '/Api/GetDomainForStudy', { form: { studyId } })).json()).toEqual({ success: true });
  });

  it('refuses in the forms of the reply table', async () => {
    const cases: [string, Record<string, string | number>, string | undefined, number, string][] = [
      ['/Api/UpsertDomain', { name: 'x', host: 'https://a.example.org/path' }, undefined, 200, 'is not a host name'],
      ['/Api/UpsertDomain', { name: 'x', host: 'a.example.org:99999' }, undefined, 200, 'is not a host name'],
      ['/Api/UpsertDomain', { name: '', host: 'a.example.org' }, undefined, 200, 'Missing parameter name'],
      [
        '/Api/UpsertDomain',
        { name: 'x', host: 'a.example.org' },
        limitedToken,
        403,
        'Only an API token for all studies',
      ],
      [
        '/Api/SetDomainForStudy',
        { studyId, domainName: 'no such domain' },
        undefined,
        200,
        'No domain "no such domain"',
      ],
      ['/Api/SetDomainForStudy', { studyId: 99999999, domainName }, limitedToken, 403, 'no access to study 99999999'],
      ['/Api/GetDomainForStudy', { studyId: 99999999 }, undefined, 200, 'No study 99999999'],
    ];
    for (const [path, form, token, status, log] of cases) {
      const reply = await call('POST', path, { form, token });
      expect(reply.status, `${path} ${JSON.stringify(form)}`).toBe(status);
      expect(reply.json()).toEqual({ success: false, log: expect.stringContaining(log) });
    }
  });
});
