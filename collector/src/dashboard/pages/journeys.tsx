/** Journeys and funnels: the top paths, and a funnel built from a form of pages and events (the journeys report's `steps`). */
import { parseQuery, REPORT_PARAMS } from '../../api/params.ts';
import { MAX_FUNNEL_STEPS, tables } from '../../reports/journeys.ts';
import { sitePath } from '../layout.tsx';
import { FilterForm, filtersOf, filtersQuery, KeptFilters } from '../filters.tsx';
import { csvHref, KeptView, type PageContext } from '../page.tsx';
import { CardHead, col, Table } from '../table.tsx';
import { readable } from '../format.ts';

export async function journeysPage(p: PageContext) {
  const { t, fmt, c } = p;
  // one step a line in the form; the API's `steps` is comma-separated
  const typed = (c.req.query('steps') ?? '').split(/[\n,]/).map((s) => s.trim()).filter(Boolean).slice(0, MAX_FUNNEL_STEPS);
  const params = parseQuery(REPORT_PARAMS.journeys, { steps: typed.join(',') }) as { steps?: string[] };
  const filters = filtersOf(p);
  const [report, before] = await Promise.all([
    p.report('journeys', { ...params, ...filters }),
    p.previous && p.report('journeys', { ...params, ...filters }, p.previous),
  ]);
  const steps = params.steps?.join(',');
  const filtered = filtersQuery(filters);
  // the same steps over the previous period, step by step (as the tables' comparison shows it)
  const then = (before && before.funnel?.steps) || [];
  const change = (now: number, was: number | undefined) => before && <span class="muted change"> ({was === undefined ? '—' : fmt.change(now, was)})</span>;
  return (
    <>
      <FilterForm p={p} page="journeys" filters={filters} keep={{ steps: c.req.query('steps') }} />
      <Table id="paths" title={t('section.paths')} t={t} fmt={fmt} rows={report.topPaths} csv={csvHref(p, 'journeys', 'topPaths', filtered)}
        compare={before && { rows: before.topPaths, key: (r: { pages: string[] }) => r.pages.join('\u0000') }}
        columns={[col('pages', 'text', { cell: (r) => r.pages.map(readable).join(' → ') }), col('sessions', 'number')]} />
      <section class="card" aria-labelledby="funnel-h">
        <CardHead id="funnel-h" title={t('section.funnel')} csv={!!steps && csvHref(p, 'journeys', 'funnel', { ...filtered, steps })} t={t} />
        <form method="get" action={sitePath(p.range.siteId, 'journeys')}>
          <KeptView c={c} />
          <KeptFilters filters={filters} />
          <label for="funnel-steps">{t('funnel.steps')}</label>
          <textarea id="funnel-steps" name="steps" rows={4} cols={50} aria-describedby="funnel-help">{typed.join('\n')}</textarea>
          <p id="funnel-help" class="note">{t('funnel.help')}</p>
          <button type="submit">{t('funnel.build')}</button>
        </form>
        {report.funnel && (
          <table>
            <thead>
              <tr><th scope="col">{t('col.step')}</th><th scope="col" class="num">{t('col.sessions')}</th><th scope="col" class="num">{t('col.reached')}</th><th scope="col" class="num">{t('col.dropOff')}</th></tr>
            </thead>
            <tbody>
              {tables.funnel(report).map((s, i) => (
                <tr>
                  <td class="text">{i + 1}. {s.kind === 'page' ? readable(s.step) : s.step}</td>
                  <td class="num">{fmt.number(s.sessions)}{change(s.sessions, then[i]?.sessions)}</td>
                  <td class="num">{fmt.percent(s.fromFirst)}{change(s.fromFirst, then[i]?.fromFirst)}</td>
                  <td class="num">{i === 0 ? '—' : fmt.percent(1 - s.fromPrevious)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {report.funnel && <p class="note">{report.funnel.note}</p>}
      </section>
    </>
  );
}
