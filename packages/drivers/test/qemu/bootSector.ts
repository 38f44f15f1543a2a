/**
 * A tiny bootable guest for qemu tests, generated in the test (no downloads): a 512-byte x86 boot
 * sector that SeaBIOS loads at 0x7c00. It writes to COM1 (the task's stdout under -nographic) and
 * COM2, and ends by ACPI soft-off (qemu exits 0), by the isa-debug-exit port (qemu exits 2n+1),
 * by waiting for the ACPI power button (what `system_powerdown` presses), or never.
 */

/** What the guest does after printing. */
export type GuestEnd =
  | { kind: 'poweroff' }
  | { kind: 'debug-exit'; code: number }
  | { kind: 'await-powerbutton'; then: 'poweroff' | { debugExit: number } }
  | { kind: 'hang' };

export interface GuestProgram {
  com1: string;
  com2?: string;
  end: GuestEnd;
}

/** PIIX4 power-management I/O base that SeaBIOS programs on qemu's `pc` machine. */
const PM_BASE = 0x600;
const COM1 = 0x3f8;
const COM2 = 0x2f8;
const DEBUG_EXIT = 0xf4;

const w = (v: number): number[] => [v & 0xff, (v >> 8) & 0xff];

/** qemu args the guest needs: COM1 on stdio, COM2 appended to `com2Path`, the debug-exit device. */
export function guestDevices(com2Path: string): string[] {
  // An explicit -serial list, because any serial device on the command line drops qemu's default one.
  return [
    '-serial',
    'stdio',
    '-chardev',
    `file,id=com2,path=${com2Path},append=on`,
    '-serial',
    'chardev:com2',
    '-device',
    `isa-debug-exit,iobase=${DEBUG_EXIT},iosize=0x04`,
  ];
}

/** The qemu exit status of `debug-exit` with `code`: qemu exits with (code << 1) | 1. */
export function debugExitStatus(code: number): number {
  return (code << 1) | 1;
}

/** Builds the 512-byte boot sector. Pure. */
export function buildBootSector(p: GuestProgram): Buffer {
  const strings: { text: string; port: number }[] = [{ text: p.com1, port: COM1 }];
  if (p.com2 !== undefined) strings.push({ text: p.com2, port: COM2 });
  const PRINT_LEN = 14;
  const poweroff = [0xfa, 0xba, ...w(PM_BASE + 4), 0xb8, ...w(0x2000), 0xef, 0xeb, 0xfe];
  const debugExit = (v: number) => [0xba, ...w(DEBUG_EXIT), 0xb0, v & 0xff, 0xee, 0xeb, 0xfe];
  const awaitButton = [
    0xba,
    ...w(PM_BASE + 2),
    0xb8,
    ...w(0x0100),
    0xef, // enable the power-button event
    0xba,
    ...w(PM_BASE), // PM1 status
    0xfb,
    0xf4,
    0xed,
    0xa9,
    ...w(0x0100),
    0x74,
    0xf8, // sti; hlt; in ax,dx; test PWRBTN; jz back
  ];
  let tail: number[];
  switch (p.end.kind) {
    case 'poweroff':
      tail = poweroff;
      break;
    case 'debug-exit':
      tail = debugExit(p.end.code);
      break;
    case 'await-powerbutton':
      tail = [...awaitButton, ...(p.end.then === 'poweroff' ? poweroff : debugExit(p.end.then.debugExit))];
      break;
    case 'hang':
      tail = [0xfb, 0xf4, 0xeb, 0xfc];
      break;
  }
  const prologue = [0xfa, 0x31, 0xc0, 0x8e, 0xd8]; // cli; ds = 0
  const codeLen = prologue.length + strings.length * PRINT_LEN + tail.length;
  const code = [...prologue];
  let addr = 0x7c00 + codeLen;
  const data: number[] = [];
  for (const s of strings) {
    code.push(0xbe, ...w(addr), 0xba, ...w(s.port), 0xac, 0x84, 0xc0, 0x74, 0x03, 0xee, 0xeb, 0xf8);
    const bytes = [...Buffer.from(s.text, 'latin1'), 0];
    data.push(...bytes);
    addr += bytes.length;
  }
  code.push(...tail);
  const body = [...code, ...data];
  if (body.length > 510) throw new Error(`boot sector program too long: ${body.length} bytes`);
  const sector = Buffer.alloc(512);
  Buffer.from(body).copy(sector);
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return sector;
}
