/** Who ran a command, as the operating system knows them: recorded beside the name given with `--by`. */
import { userInfo } from 'node:os';

export function osUser(env: Record<string, string | undefined> = process.env): string | undefined {
  try {
    const name = userInfo().username;
    if (name) return name;
  } catch {
    // No entry in the password database (a container's arbitrary uid): fall back to the environment.
  }
  return env.USER || env.USERNAME || env.LOGNAME || undefined;
}
