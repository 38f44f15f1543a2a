/** Port range strings as Nomad writes them (`reserved_ports = "22,80,8000-8010"`). */

/** Parses "22,80,8000-8010" into ports. Pure. */
export function parsePortRanges(spec: string): number[] {
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const [a, b] = p.split('-').map((x) => parseInt(x, 10));
    if (a === undefined || !Number.isFinite(a)) continue;
    const end = b !== undefined && Number.isFinite(b) ? b : a;
    for (let x = a; x <= end; x++) out.push(x);
  }
  return out;
}
