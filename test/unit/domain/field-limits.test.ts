import { describe, expect, it } from 'vitest';
import { checkField, FIELD_LIMITS } from '../../../functions/domain/limits/field-limits.js';
import { parseConfigFile } from '../../../functions/domain/study-config/config-file.js';
import { parseEmailsFile } from '../../../functions/domain/study-config/emails-file.js';
import { parseImagesFile } from '../../../functions/domain/study-config/images-file.js';
import { formatProblem } from '../../../functions/domain/study-config/problems.js';
import { parseScoresFile } from '../../../functions/domain/study-config/scores-file.js';

describe('checkField', () => {
  it('counts UTF-8 bytes, not characters', () => {
    expect(checkField('name', 'é'.repeat(127))).toBeUndefined(); // 254 bytes
    expect(checkField('name', 'é'.repeat(128))).toBe('the name is 256 bytes long; at most 255 are allowed');
  });

  it('keeps every field that is part of a key under DynamoDB key limits', () => {
    expect(FIELD_LIMITS.name.maxBytes + 'QUESTIONNAME#'.length).toBeLessThan(1024);
    expect(FIELD_LIMITS.email.maxBytes + 'I#0000000001#T00001,00001#0000000001#'.length).toBeLessThan(1024);
    expect(FIELD_LIMITS.fileName.maxBytes + 'IMAGEPATH#'.length).toBeLessThan(1024);
  });

  it('never lets names or emails hold NUL, ESC, CR or LF; free text and answers may hold line breaks and tabs', () => {
    for (const c of ['\u0000', '\u001b', '\r', '\n', '\t', '\u007f']) {
      expect(checkField('name', `a${c}b`)).toMatch(/control character U\+00/);
      expect(checkField('email', `a${c}b@x.nl`)).toMatch(/control character/);
      expect(checkField('fileName', `a${c}b.svs`)).toMatch(/control character/);
    }
    expect(checkField('freeText', 'line 1\r\n\tline 2')).toBeUndefined();
    expect(checkField('answer', 'line 1\nline 2')).toBeUndefined();
    expect(checkField('freeText', 'bell\u0007')).toBe('the text holds the control character U+0007');
    expect(checkField('answer', 'nul\u0000')).toMatch(/U\+0000/);
  });
});

describe('config files report fields beyond their limits with file and line', () => {
  const long = 'x'.repeat(3000);

  it('.emails', () => {
    const parsed = parseEmailsFile('study.s.emails', `ok@nki.nl\n${long}@nki.nl;canscore\n`);
    expect(parsed.value.map((u) => u.email)).toEqual(['ok@nki.nl']);
    expect(parsed.problems.map(formatProblem)).toEqual([
      'study.s.emails line 2: error: the email address is 3007 bytes long; at most 254 are allowed; line skipped',
    ]);
  });

  it('.scores', () => {
    const parsed = parseScoresFile('study.s.scores', `Fine\tFreeText\n${long}\tFreeText\nEsc\u001b\tFreeText\n`);
    expect(parsed.value.map((q) => q.name)).toEqual(['Fine']);
    const lines = parsed.problems.map(formatProblem);
    expect(lines[0]).toMatch(/^study\.s\.scores line 2: error: question name: the name is 3000 bytes long/);
    expect(lines[1]).toMatch(/^study\.s\.scores line 3: error: the line contains a control character/);
  });

  it('.images', () => {
    const parsed = parseImagesFile('study.s.images', `s/a.svs\ns/${long}.svs\ns/b.svs;;;${long}\n`);
    expect(parsed.value.map((i) => i.path)).toEqual(['s/a.svs']);
    const lines = parsed.problems.map(formatProblem);
    expect(lines[0]).toMatch(/^study\.s\.images line 2: error: image path: the file name is 3006 bytes long/);
    expect(lines[1]).toMatch(/^study\.s\.images line 3: error: image name: the name is 3000 bytes long/);
  });

  it('.config', () => {
    const parsed = parseConfigFile('study.s.config', `label: ${long}\norgans: breast\n`);
    expect(parsed.value.label).toBeUndefined();
    expect(parsed.value.organs).toEqual(['breast']);
    expect(parsed.problems.map(formatProblem)[0]).toMatch(
      /^study\.s\.config line 1: error: label: the name is 3000 bytes long; at most 255 are allowed; ignored$/,
    );
  });
});
