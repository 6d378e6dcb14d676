/** The public API: what the CLI does, callable from code. */
export { build, check, type BuildOptions, type BuildResult } from './build/build.js';
export { resolveConfig, type Config } from './config/config.js';
export { FORMATS, FORMAT_NAMES, type FormatName } from './formats/registry.js';
export { EditionsError, formatDiagnostic, Report, RULES, type Diagnostic, type RuleId } from './messages.js';
export type { Block, DocumentModel, Section } from './model/types.js';
