/** A package's API index seen through the run's targets: masks over the targets, not the index's platforms. */
import type { PlatformMask, Targets } from '../platform/targets.js';
import type { PackageApi } from './format.js';

export class ApiView {
  /** Targets the index can answer for. */
  readonly known: PlatformMask;
  /** Targets where the package has Go files. */
  readonly present: PlatformMask;
  /** For each target, its bit in the index's platform list (-1: not indexed). */
  private readonly bits: number[];
  private readonly converted = new Map<bigint, PlatformMask>();

  constructor(readonly api: PackageApi, targets: Targets) {
    const at = new Map(api.platforms.map((p, i) => [p, i]));
    this.bits = targets.list.map((p) => at.get(p.id) ?? -1);
    this.known = this.toTargets(api.known);
    this.present = this.toTargets(api.present) & this.known;
  }

  private toTargets(m: bigint): PlatformMask {
    const hit = this.converted.get(m);
    if (hit !== undefined) return hit;
    let out = 0n;
    this.bits.forEach((b, i) => {
      if (b >= 0 && (m >> BigInt(b)) & 1n) out |= 1n << BigInt(i);
    });
    this.converted.set(m, out);
    return out;
  }

  /** Targets where package-level `name` exists, when stored; undefined: wherever the package exists (or nowhere). */
  name(name: string): PlatformMask | undefined {
    const m = this.api.names.get(name);
    return m === undefined ? undefined : this.toTargets(m);
  }

  /** Targets where the type exists (the package's when not stored). */
  typeMask(type: string): PlatformMask {
    return this.name(type) ?? this.present;
  }

  /** Targets where `type.member` exists, when stored; undefined: wherever the type exists (or nowhere). */
  member(type: string, member: string): PlatformMask | undefined {
    const m = this.api.members.get(`${type}.${member}`);
    return m === undefined ? undefined : this.toTargets(m);
  }

  /** Targets where the type's members can't be listed. */
  open(type: string): PlatformMask {
    const m = this.api.open.get(type);
    return m === undefined ? 0n : this.toTargets(m);
  }

  /** The named type of field `type.field` (`Name` in this package, `path.Name` elsewhere), if recorded. */
  fieldType(type: string, field: string): { pkg?: string; name: string } | undefined {
    const v = this.api.fieldTypes.get(`${type}.${field}`);
    if (v === undefined) return undefined;
    const dot = v.lastIndexOf('.');
    return dot < 0 ? { name: v } : { pkg: v.slice(0, dot), name: v.slice(dot + 1) };
  }

  /** The targets of a mask over the index's platforms (what storedNames and storedMembers give). */
  targetsOf(m: bigint): PlatformMask {
    return this.toTargets(m);
  }

  /** Stored names (for alternatives), with their masks over the index's platforms (targetsOf): most are compared and dropped, their masks never read. */
  storedNames(): Iterable<[string, bigint]> {
    return this.api.names;
  }

  /** Stored members of a type (for alternatives), with their masks over the index's platforms (targetsOf). */
  *storedMembers(type: string): Iterable<[string, bigint]> {
    const prefix = `${type}.`;
    for (const [k, m] of this.api.members) if (k.startsWith(prefix)) yield [k.slice(prefix.length), m];
  }
}
