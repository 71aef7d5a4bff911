/** Goals: their conversions over the period, and the form that declares and removes them (POST with the session's CSRF token). */
import type { GoalRow } from '../../reports/goals.ts';
import { goalsOf, MAX_GOAL_LENGTH, MAX_GOALS, setGoals } from '../../sites/goals.ts';
import { InvalidInput } from '../../lib/errors.ts';
import { sitePath } from '../layout.tsx';
import { FilterForm, filtersOf, filtersQuery } from '../filters.tsx';
import { csvHref, type PageContext } from '../page.tsx';
import { col, Table } from '../table.tsx';
import type { Context } from 'hono';
import type { AppDeps } from '../../deps.ts';
import type { DashEnv } from '../session.ts';

export async function goalsPage(p: PageContext) {
  const { t, fmt, c } = p;
  const site = c.get('site');
  const filters = filtersOf(p);
  const [report, before] = await Promise.all([p.report('goals', filters), p.previous && p.report('goals', filters, p.previous)]);
  const declared = goalsOf(site.settings);
  const action = sitePath(site.id, 'goals');
  const csrf = c.get('session').csrf;
  return (
    <>
      {c.req.query('saved') === '1' && <p class="notice" role="status">{t('goals.saved')}</p>}
      {c.req.query('invalid') === '1' && <p class="error" role="alert">{t('goals.invalid', { length: MAX_GOAL_LENGTH, max: MAX_GOALS })}</p>}
      <FilterForm p={p} page="goals" filters={filters} />
      <Table id="goals" title={t('section.goals')} t={t} fmt={fmt} rows={report.goals} csv={csvHref(p, 'goals', 'goals', filtersQuery(filters))}
        compare={before && { rows: before.goals, key: (g: GoalRow) => g.goal }}
        columns={[col('goal'), col('kind'), col('conversions', 'number'), col('convertingVisitors', 'number', { label: 'col.visitors' }), col('conversionRate', 'percent')]} />
      <section class="card" aria-labelledby="declared-h">
        <h2 id="declared-h">{t('goals.declared')}</h2>
        {declared.length === 0 ? <p class="muted">{t('goals.none')}</p> : (
          <ul>
            {declared.map((goal) => (
              <li>
                {goal}{' '}
                <form method="post" action={action} class="inline">
                  <input type="hidden" name="csrf" value={csrf} />
                  <input type="hidden" name="remove" value={goal} />
                  <button type="submit" class="quiet" aria-label={t('goals.removeGoal', { goal })}>{t('goals.remove')}</button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <form method="post" action={action}>
          <input type="hidden" name="csrf" value={csrf} />
          <label for="goal-add">{t('goals.name')}</label>
          <input id="goal-add" name="add" required maxlength={MAX_GOAL_LENGTH} aria-describedby="goal-help" />
          <p id="goal-help" class="note">{t('goals.help', { max: MAX_GOALS })}</p>
          <button type="submit">{t('goals.add')}</button>
        </form>
      </section>
    </>
  );
}

/** Adds or removes one goal (the CSRF field was checked before: session.ts `csrfField`); back to the page. */
export async function changeGoals(deps: AppDeps, c: Context<DashEnv>) {
  const site = c.get('site');
  const form = await c.req.parseBody();
  const goals = goalsOf(site.settings);
  const next = typeof form.add === 'string' ? [...goals, form.add] : goals.filter((g) => g !== form.remove);
  try {
    await setGoals(deps.db.sql, site.id, next, deps.now());
  } catch (err) {
    if (!(err instanceof InvalidInput)) throw err;
    // the page says what a goal may be; a message from the URL would let a link put any text on the page
    return c.redirect(`${sitePath(site.id, 'goals')}?invalid=1`, 303);
  }
  deps.site.forget(site.id);
  return c.redirect(`${sitePath(site.id, 'goals')}?saved=1`, 303);
}
