import { detectJava } from '../../src/java/javaDriver.js';

/** Fail loudly (not skip) when no JVM is installed: the java tests need a real one. */
export async function requireJava(): Promise<void> {
  if (!(await detectJava())) {
    throw new Error('java is not installed: install default-jre-headless (scripts/ci-system-deps.sh does)');
  }
}
