import { describe, expect, it } from 'vitest';
import { parseJavaVersion } from './javaDriver.js';

describe('parseJavaVersion', () => {
  it('reads version, runtime, vm and vendor', () => {
    const out = [
      'Property settings:',
      '    java.vendor = Debian',
      '    java.version = 17.0.15',
      '',
      'openjdk version "17.0.15" 2025-04-15',
      'OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)',
      'OpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)',
    ].join('\n');
    expect(parseJavaVersion(out)).toEqual({
      version: '17.0.15',
      runtime: 'OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)',
      vm: 'OpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)',
      vendor: 'Debian',
    });
  });

  it('handles old version strings and _JAVA_OPTIONS noise', () => {
    const out =
      'Picked up _JAVA_OPTIONS: -Xmx1g\njava version "1.8.0_392"\nJava(TM) SE Runtime Environment\nJava HotSpot(TM) VM\n';
    expect(parseJavaVersion(out)?.version).toBe('1.8.0_392');
  });

  it('gives up on unrecognisable output', () => {
    expect(parseJavaVersion('command not found')).toBeUndefined();
  });
});
