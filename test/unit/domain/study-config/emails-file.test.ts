import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isEmailAddress,
  parseEmailsFile,
  writeEmailsFile,
} from '../../../../functions/domain/study-config/emails-file.js';
import { users } from './arbitraries.js';

const FILE = 'study.Demo.emails';

describe('parseEmailsFile', () => {
  it('reads the SDK test file, starting with an empty line', () => {
    const { value, problems } = parseEmailsFile(FILE, '\npytest@example.com;canscore,canedit,cangetresults\n');
    expect(value).toEqual([{ email: 'pytest@example.com', rights: ['canscore', 'canedit', 'cangetresults'] }]);
    expect(problems).toEqual([]);
  });

  it('gives canscore when no rights are listed, and matches rights ignoring case and spaces', () => {
    const { value, problems } = parseEmailsFile(
      FILE,
      '\uFEFFa@nki.nl\r\nb@nki.nl;\r\nC@NKI.nl ; CanGetResults , VIEWONLY\r\nd@nki.nl;viewonly\r\n',
    );
    expect(value).toEqual([
      { email: 'a@nki.nl', rights: ['canscore'] },
      { email: 'b@nki.nl', rights: ['canscore'] },
      { email: 'C@NKI.nl', rights: ['cangetresults'] }, // as written; matched ignoring case
      { email: 'd@nki.nl', rights: ['viewonly'] },
    ]);
    expect(problems).toEqual([
      { file: FILE, line: 3, severity: 'warning', reason: 'viewonly is implied by the other rights; ignored' },
    ]);
  });

  it('lists rights as given: canedit alone does not add canscore', () => {
    expect(parseEmailsFile(FILE, 'a@nki.nl;canedit').value).toEqual([{ email: 'a@nki.nl', rights: ['canedit'] }]);
  });

  it('accepts ; between rights', () => {
    expect(parseEmailsFile(FILE, 'a@nki.nl;canscore;canedit').value[0]?.rights).toEqual(['canscore', 'canedit']);
  });

  it('lets canscore win over viewonly, with a warning', () => {
    const { value, problems } = parseEmailsFile(FILE, 'a@nki.nl;viewonly,canscore');
    expect(value[0]?.rights).toEqual(['canscore']);
    expect(problems[0]?.reason).toBe('viewonly contradicts canscore; viewonly ignored');
  });

  it('skips a line with a malformed email or an unknown right, as an error', () => {
    const { value, problems } = parseEmailsFile(
      FILE,
      'jan@nki\nJan Smit <jan@nki.nl>;canscore\nok@nki.nl;canscore,canedti\nfine@nki.nl\n',
    );
    expect(value).toEqual([{ email: 'fine@nki.nl', rights: ['canscore'] }]);
    expect(problems.map((p) => [p.line, p.severity])).toEqual([
      [1, 'error'],
      [2, 'error'],
      [3, 'error'],
    ]);
    expect(problems[0]?.reason).toBe('"jan@nki" is not a valid email address; line skipped');
    expect(problems[2]?.reason).toContain('unknown right "canedti"');
  });

  it('merges the rights of a user listed twice (ignoring case), with a warning', () => {
    const { value, problems } = parseEmailsFile(FILE, 'a@nki.nl;viewonly\nb@nki.nl\nA@nki.nl;cangetresults,canedit\n');
    expect(value).toEqual([
      { email: 'a@nki.nl', rights: ['canedit', 'cangetresults'] },
      { email: 'b@nki.nl', rights: ['canscore'] },
    ]);
    expect(problems).toEqual([
      {
        file: FILE,
        line: 3,
        severity: 'warning',
        reason: 'a@nki.nl is also on line 1; rights merged: canedit,cangetresults',
      },
    ]);
  });

  it('reports a control character as an error', () => {
    const { value, problems } = parseEmailsFile(FILE, 'a@nki.nl\u0000;canscore');
    expect(value).toEqual([]);
    expect(problems[0]?.severity).toBe('error');
  });
});

describe('isEmailAddress', () => {
  it.each(['pytest@example.com', 'j.de-vries+slides@nki.nl', 'müller@uni-köln.de'])('accepts %j', (text) => {
    expect(isEmailAddress(text)).toBe(true);
  });
  it.each(['', 'a', 'a@b', '@nki.nl', 'a@.nl', 'a..b@nki.nl', 'a @nki.nl', 'a@nki..nl', 'a@-nki.nl', 'a@b@c.nl'])(
    'refuses %j',
    (text) => {
      expect(isEmailAddress(text)).toBe(false);
    },
  );
});

describe('writeEmailsFile', () => {
  it('writes every right out', () => {
    expect(writeEmailsFile([{ email: 'a@nki.nl', rights: ['canscore', 'cangetresults'] }])).toBe(
      'a@nki.nl;canscore,cangetresults\n',
    );
  });

  it('round-trips any users', () => {
    fc.assert(
      fc.property(users, (model) => {
        expect(parseEmailsFile(FILE, writeEmailsFile(model))).toEqual({ value: model, problems: [] });
      }),
    );
  });
});
