/**
 * auditPdf(file): runs every machine check of checks.ts on one PDF, loaded once. The result says
 * how many of the conditions passed, never that the PDF conforms: what a human must judge is
 * listed with each check (README, "Accessibility checks").
 */
import { CHECKS, type Finding } from './checks.js';
import { loadPdf, type LoadedPdf } from './read.js';

export { CHECKS, type Finding } from './checks.js';
export { loadPdf, haveQpdf, type LoadedPdf } from './read.js';

export interface CheckResult {
  id: string;
  title: string;
  matterhorn: readonly string[];
  passed: boolean;
  findings: Finding[];
}

export interface PdfAudit {
  file: string;
  checks: CheckResult[];
  passed: number;
  total: number;
}

/** The checks on a PDF already loaded (tests load each once and run the checks on it). */
export function runChecks(pdf: LoadedPdf, only?: readonly string[]): PdfAudit {
  const checks = Object.entries(CHECKS)
    .filter(([id]) => !only || only.includes(id))
    .map(([id, check]): CheckResult => {
      let findings: Finding[];
      try {
        findings = check.run(pdf).map((f) => ({ check: id, ...f }));
      } catch (e) {
        // A PDF malformed past what the check reads is a failure of that check, not a crash.
        findings = [{ check: id, message: `the check could not read the PDF: ${(e as Error).message}` }];
      }
      return { id, title: check.title, matterhorn: check.matterhorn, passed: findings.length === 0, findings };
    });
  return { file: pdf.file, checks, passed: checks.filter((c) => c.passed).length, total: checks.length };
}

export async function auditPdf(file: string): Promise<PdfAudit> {
  return runChecks(await loadPdf(file));
}
