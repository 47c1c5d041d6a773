// ELF headers, enough to know what a binary needs to start: PT_INTERP (the program interpreter the kernel
// loads) and DT_NEEDED (the shared libraries it then loads). Works on a prefix of the file: the program headers
// sit at the start; the dynamic section may lie beyond the bytes read, and then `needed` is undefined.
import type { ElfInfo } from './types.js';

export const ELF_MAGIC = 0x7f454c46;
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NEEDED = 1;
const DT_STRTAB = 5;
const DT_RPATH = 15;
const DT_RUNPATH = 29;
export const ET_EXEC = 2;
export const ET_DYN = 3;

export const isElf = (b: Buffer) => b.length >= 52 && b.readUInt32BE(0) === ELF_MAGIC;

export function parseElf(b: Buffer): ElfInfo | undefined {
  if (!isElf(b)) return undefined;
  const is64 = b[4] === 2;
  const le = b[5] !== 2;
  if (is64 && b.length < 64) return undefined;
  const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const word = (o: number) => (is64 ? Number(le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)) : u32(o));
  const fits = (o: number, n: number) => o >= 0 && o + n <= b.length;

  const type = u16(16);
  const machine = u16(18);
  const phoff = word(is64 ? 32 : 28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  const info: ElfInfo = { type, machine, class: is64 ? 64 : 32 };
  const loads: { vaddr: number; offset: number; filesz: number }[] = [];
  let dynamic: { offset: number; size: number } | undefined;
  for (let i = 0; i < phnum && i < 256; i++) {
    const p = phoff + i * phentsize;
    if (!fits(p, is64 ? 56 : 32)) break;
    const ptype = u32(p);
    const offset = word(is64 ? p + 8 : p + 4);
    const vaddr = word(is64 ? p + 16 : p + 8);
    const filesz = word(is64 ? p + 32 : p + 16);
    if (ptype === PT_LOAD) loads.push({ vaddr, offset, filesz });
    else if (ptype === PT_DYNAMIC) dynamic = { offset, size: filesz };
    else if (ptype === PT_INTERP && fits(offset, 1)) {
      const end = b.indexOf(0, offset);
      info.interpreter = b.toString('latin1', offset, end > offset && end - offset < 4096 ? end : Math.min(b.length, offset + filesz));
    }
  }
  if (!dynamic) {
    info.needed = [];
    return info;
  }
  if (!fits(dynamic.offset, dynamic.size)) return info; // dynamic section beyond what was read
  const entSize = is64 ? 16 : 8;
  const needed: number[] = [];
  let strtab: number | undefined;
  let runpath: number | undefined;
  for (let o = dynamic.offset; o + entSize <= dynamic.offset + dynamic.size; o += entSize) {
    const tag = word(o);
    const val = word(o + entSize / 2);
    if (tag === 0) break;
    if (tag === DT_NEEDED) needed.push(val);
    else if (tag === DT_STRTAB) strtab = val;
    else if (tag === DT_RUNPATH || (tag === DT_RPATH && runpath === undefined)) runpath = val;
  }
  if (strtab === undefined) return needed.length ? info : { ...info, needed: [] };
  const seg = loads.find((l) => strtab! >= l.vaddr && strtab! < l.vaddr + l.filesz);
  // Shared objects linked at 0 (and some binaries) keep dynamic addresses equal to file offsets.
  const strOff = seg ? strtab - seg.vaddr + seg.offset : strtab;
  const str = (off: number): string | undefined => {
    const at = strOff + off;
    if (!fits(at, 1)) return undefined;
    const end = b.indexOf(0, at);
    return end < 0 ? undefined : b.toString('latin1', at, end);
  };
  const names = needed.map(str);
  if (names.some((n) => n === undefined)) return info;
  info.needed = names as string[];
  if (runpath !== undefined) info.runpath = str(runpath);
  return info;
}
