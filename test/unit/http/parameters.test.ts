import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { parametersOf } from '../../../functions/http/middlewares/parse-parameters.js';

function event(fields: Partial<APIGatewayProxyEventV2>): APIGatewayProxyEventV2 {
  return { rawQueryString: '', headers: {}, isBase64Encoded: false, ...fields } as APIGatewayProxyEventV2;
}

describe('parameters', () => {
  it('merges the query string and a urlencoded body, names in any case', async () => {
    const params = await parametersOf(
      event({
        rawQueryString: 'studyId=5&x=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=ISO-8859-1' },
        body: Buffer.from('imageid=7&question=Tumor+area&x=2').toString('base64'),
        isBase64Encoded: true,
      }),
    );
    expect(params.get('studyid')).toBe('5');
    expect(params.get('ImageID')).toBe('7');
    expect(params.get('question')).toBe('Tumor area');
    expect(params.getAll('x')).toEqual(['1', '2']);
  });

  it('reads multipart fields and files', async () => {
    const boundary = 'b0undary';
    const body = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="studyId"',
      '',
      '9',
      `--${boundary}`,
      'Content-Disposition: form-data; name="file"; filename="a.txt"',
      'Content-Type: text/plain',
      '',
      'hello',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    const params = await parametersOf(
      event({ headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body }),
    );
    expect(params.requiredInteger('STUDYID')).toBe(9);
    expect(params.files).toEqual([
      { field: 'file', filename: 'a.txt', contentType: 'text/plain', data: Buffer.from('hello') },
    ]);
  });

  it('types values and says what is wrong', async () => {
    const params = await parametersOf(event({ rawQueryString: 'a=12&b=x&c=True&d=&e=maybe' }));
    expect(params.integer('a')).toBe(12);
    expect(() => params.integer('b')).toThrow('Parameter b must be a whole number, not "x"');
    expect(params.boolean('c')).toBe(true);
    expect(params.integer('d')).toBeUndefined();
    expect(() => params.required('d')).toThrow('Missing parameter d');
    expect(() => params.boolean('e')).toThrow('Parameter e must be true or false');
    expect(params.boolean('missing', true)).toBe(true);
  });
});
