/**
 * The dates the editions can carry, and the schema that checks a date written in a source.
 * Every output embeds one date (SOURCE_DATE_EPOCH, else `revised`, else `issued`), and the zip
 * containers (EPUB, DOCX) date their entries in DOS time, which ends in 2107 and starts in 1980
 * (earlier dates are written as 1980-01-01 there, and as they are everywhere else). The limit is
 * the last day of 2099 for every date a source or the environment gives, so that no date a
 * check accepts can fail a build.
 */
import { z } from 'zod';

export const FIRST_DAY = '0001-01-01';
export const LAST_DAY = '2099-12-31';
/** The last second of LAST_DAY, as a Unix time: the largest SOURCE_DATE_EPOCH. */
export const LAST_EPOCH = Date.UTC(2100, 0, 1) / 1000 - 1;

export const DATE_RANGE_HINT = `the editions carry dates from ${FIRST_DAY} to ${LAST_DAY} (EPUB and DOCX files date their parts in a form that ends soon after 2099)`;

/** A date written YYYY-MM-DD, a real day, from FIRST_DAY to LAST_DAY. */
export const sourceDate = z.iso.date().refine((d) => !/^\d{4}-\d\d-\d\d$/.test(d) || (d >= FIRST_DAY && d <= LAST_DAY), {
  error: (issue) => `${String(issue.input)} is out of range: dates run from ${FIRST_DAY} to ${LAST_DAY}`,
  params: { hint: DATE_RANGE_HINT },
});
