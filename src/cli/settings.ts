/**
 * The effective settings of a run: command-line flags over the configuration file over defaults.
 */
import path from 'node:path';
import { RULES } from '../../rules/index.js';
import { ConfigError, type FailOn, findConfig, formatConfigError, type GoportConfig, loadConfig } from '../config/config.js';
import { ExcludeMatcher } from '../config/exclude.js';
import { resolveTiers } from '../config/tiers.js';
import type { Severity } from '../engine/types.js';
import { type CliOptions, UsageError } from './args.js';

export interface Settings {
  /** The options with the configuration's values filled in where no flag was given. */
  opts: CliOptions;
  config: GoportConfig | null;
  severity: Record<string, Severity | 'off'>;
  /** Config patterns (relative to the config file) and flag patterns (relative to the cwd). */
  excludes: ExcludeMatcher[];
  /** Absolute path of the baseline to read, or null. */
  baseline: string | null;
  failOn: FailOn;
}

/** A configuration problem: printed as `file:line:col: message`, exit 2. */
export class ConfigUsageError extends UsageError {}

/** Loads the configuration (unless --no-config) and merges it under the flags. */
export function resolveSettings(opts: CliOptions, cwd: string): Settings {
  const known = new Set(RULES.map((r) => r.meta.id));
  let config: GoportConfig | null = null;
  if (!opts.noConfig) {
    const file = opts.config !== null ? path.resolve(cwd, opts.config) : findConfig(cwd);
    if (file !== null) {
      try {
        config = loadConfig(file, known);
      } catch (e) {
        if (e instanceof ConfigError) throw new ConfigUsageError(formatConfigError(e, cwd));
        throw e;
      }
    }
  }
  const o: CliOptions = { ...opts, explicit: new Set(opts.explicit) };
  const given = (flag: string) => opts.explicit.has(flag);
  if (config) {
    if (config.platforms && !given('platforms')) o.platforms = [...config.platforms];
    if (config.tags && !given('tags')) o.tags = [...config.tags];
    if (config.cgo !== undefined && !given('cgo')) o.cgo = config.cgo;
    if (config.tests !== undefined && !given('tests')) o.tests = config.tests;
    if (config.goVersion !== undefined && !given('go-version')) o.goVersion = config.goVersion;
    if (config.vendor !== undefined && !given('vendor')) o.vendor = config.vendor;
    if (config.allModules !== undefined && !given('all-modules')) o.allModules = config.allModules;
    if (config.enable && !given('enable')) o.enable = [...config.enable];
    if (config.disable && !given('disable')) o.disable = [...config.disable];
    if (config.reportUnusedIgnores !== undefined && !given('report-unused-ignores')) o.reportUnusedIgnores = config.reportUnusedIgnores;
    if (config.failOn !== undefined && !given('fail-on')) o.failOn = config.failOn;
    if (config.cgoPlatforms && !given('cgo')) o.cgoPlatforms = [...config.cgoPlatforms];
    if (config.group && !given('group')) o.group = config.group;
    if (config.binaries) o.binaries = { file: config.file, dir: config.dir, specs: config.binaries };
    if (config.tiers) o.tiers = resolveTiers(config.tiers, config.tierSeverity);
  }
  const excludes: ExcludeMatcher[] = [];
  if (config?.exclude && config.exclude.length > 0) excludes.push(new ExcludeMatcher(config.exclude, config.dir));
  if (o.exclude.length > 0) excludes.push(new ExcludeMatcher(o.exclude, cwd));
  let baseline: string | null = null;
  if (o.baseline !== null) baseline = path.resolve(cwd, o.baseline);
  else if (config?.baseline !== undefined) baseline = path.resolve(config.dir, config.baseline);
  return {
    opts: o,
    config,
    severity: { ...(config?.severity ?? {}) },
    excludes,
    baseline,
    failOn: (o.failOn as FailOn | null) ?? 'info',
  };
}
