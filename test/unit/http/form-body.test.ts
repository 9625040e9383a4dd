import { describe, expect, it } from 'vitest';
import { formPairs } from '../../../functions/http/form-body.js';

const viaUrlSearchParams = (body: string) => [...new URLSearchParams(body)];

describe('formPairs (url-encoded form bodies)', () => {
  it.each([
    'a=1&b=2',
    'studyid=12&results=%0Aa%09b%3Dc+d',
    'empty=&=novalue&flag&&x=%zz%2&y=%E2%82%AC+%F0%9F%98%80',
    'raw=é€😀&plus=a+b%2Bc',
    'bad=%C3%28&lone=%ED%A0%80',
    '',
    '&&&',
  ])('decodes %j as URLSearchParams does', (body) => {
    expect([...formPairs(body)]).toEqual(viaUrlSearchParams(body));
  });

  it('decodes a large escaped value in one piece', () => {
    const xml = `<ASAP_Annotations>${'<Coordinate Order="0" X="1.5" Y="2" />\n'.repeat(10_000)}</ASAP_Annotations>`;
    const body = new URLSearchParams({ asapAnnotation: xml, user: 'a+b@x.nl' }).toString();
    expect(Object.fromEntries(formPairs(body))).toEqual({ asapAnnotation: xml, user: 'a+b@x.nl' });
  });
});
