import { readFile } from 'node:fs/promises';

/** A local account as /etc/passwd lists it. */
export interface LocalUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** Look a user up by name or numeric id in `passwdPath`; undefined when absent. Effects: reads the file. */
export async function lookupUser(
  nameOrId: string,
  passwdPath = '/etc/passwd',
): Promise<LocalUser | undefined> {
  const text = await readFile(passwdPath, 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const [name, , uid, gid, , home] = line.split(':');
    if (name === undefined || uid === undefined || gid === undefined) continue;
    if (name === nameOrId || uid === nameOrId) {
      return { name, uid: Number(uid), gid: Number(gid), home: home ?? '/' };
    }
  }
  return undefined;
}

/** argv prefix that drops to `user` (uid, primary gid, supplementary groups) before exec. Pure. */
export function setprivArgv(user: LocalUser): string[] {
  return ['/usr/bin/setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--'];
}
