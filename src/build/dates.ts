/**
 * The one date embedded in outputs. Never the wall clock: SOURCE_DATE_EPOCH when set (the
 * reproducible-builds convention), else the source's own revision or issue date.
 */
import type { DocumentModel } from '../model/types.js';
import { fail } from '../messages.js';
import { DATE_RANGE_HINT, LAST_DAY, LAST_EPOCH } from '../source/dates.js';
import type { BuildInfo } from '../templating/context.js';
import { GENERATOR } from '../version.js';

export function buildInfo(model: DocumentModel, env: NodeJS.ProcessEnv = process.env): BuildInfo {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d{1,12}$/.test(epoch)) {
      fail('environment', `SOURCE_DATE_EPOCH is "${epoch}", not a number of seconds since 1970`, {
        hint: 'set it to a Unix time, for example SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)',
      });
    }
    if (Number(epoch) > LAST_EPOCH) {
      fail('environment', `SOURCE_DATE_EPOCH is ${epoch} (${new Date(Number(epoch) * 1000).toISOString().replace('.000Z', 'Z')}), after ${LAST_DAY}T23:59:59Z`, {
        hint: `${DATE_RANGE_HINT}: set it to a Unix time up to ${LAST_EPOCH}`,
      });
    }
    return { date: new Date(Number(epoch) * 1000), fromEpoch: true, generator: GENERATOR };
  }
  const day = model.meta.revised ?? model.meta.issued;
  return { date: new Date(`${day}T00:00:00Z`), fromEpoch: false, generator: GENERATOR };
}
