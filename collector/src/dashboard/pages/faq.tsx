/** FAQ: articles with their helpfulness, searches (failed ones first), self-service rate and escalations. */
import { tables, type FaqArticle, type FaqSearch } from '../../reports/faq.ts';
import { FilterForm, filtersOf, filtersQuery } from '../filters.tsx';
import { csvHref, type PageContext } from '../page.tsx';
import { CardHead, col, Table, Tile } from '../table.tsx';

export async function faqPage(p: PageContext) {
  const filters = filtersOf(p);
  const [report, before] = await Promise.all([p.report('faq', filters), p.previous && p.report('faq', filters, p.previous)]);
  const { t, fmt } = p;
  const failed = report.searches.filter((s) => s.zeroResults > 0).sort((a, b) => b.zeroResults - a.zeroResults);
  return (
    <>
      <FilterForm p={p} page="faq" filters={filters} />
      <section class="card" aria-labelledby="self-h">
        <CardHead id="self-h" title={t('section.selfService')} csv={csvHref(p, 'faq', 'selfService', filtersQuery(filters))} t={t} />
        <dl class="tiles">
          <Tile label={t('col.selfServiceRate')} value={fmt.percent(report.selfServiceRate)} />
          <Tile label={t('col.faqSessions')} value={fmt.number(report.faqSessions)} />
          <Tile label={t('col.escalations')} value={fmt.number(report.escalations)} />
          <Tile label={t('col.searches')} value={fmt.number(report.totalSearches)} />
          <Tile label={t('section.failedSearches')} value={fmt.number(report.failedSearches)} />
        </dl>
      </section>
      <Table id="articles" title={t('section.articles')} t={t} fmt={fmt} rows={tables.articles(report)} csv={csvHref(p, 'faq', 'articles', filtersQuery(filters))}
        compare={before && { rows: tables.articles(before), key: (a: FaqArticle) => a.article }}
        columns={[col('article', 'path'), col('title'), col('views', 'number'), col('helpful', 'number'), col('notHelpful', 'number'), col('helpfulness', 'percent', { label: 'col.helpfulRate' })]} />
      <Table id="failed" title={t('section.failedSearches')} t={t} fmt={fmt} rows={failed} csv={csvHref(p, 'faq', 'searches', filtersQuery(filters))}
        columns={[col('query'), col('zeroResults', 'number'), col('count', 'number', { label: 'col.searches' })]} />
      <Table id="searches" title={t('section.searches')} t={t} fmt={fmt} rows={tables.searches(report)} csv={csvHref(p, 'faq', 'searches', filtersQuery(filters))}
        compare={before && { rows: tables.searches(before), key: (s: FaqSearch) => s.query }}
        columns={[col('query'), col('count', 'number', { label: 'col.searches' }), col('zeroResults', 'number')]} />
    </>
  );
}
