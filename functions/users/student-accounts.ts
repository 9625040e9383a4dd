/**
 * Student accounts (GenerateStudentAccount). A stub until that module lands: no password is ever right, so the
 * /SignIn form refuses every attempt and people sign in with login links.
 */
export async function verifyStudentPassword(_email: string, _password: string): Promise<boolean> {
  return false;
}
