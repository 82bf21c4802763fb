import type { Request } from 'express';
import type { IsoDate } from '../dates/calendar';
import { dueLabeller } from '../dates/due-labels';
import { parseId, parseSearch } from '../forms/task-forms';
import { textField } from '../forms/parse-form';
import { filterLabels, taskMessages } from '../messages/tasks';
import type { PageRequest, TaskCounts, TaskPage, TaskView } from '../models/task-lists';

// The home page's addresses: which list a URL asks for, and the links and return paths that
// keep the user on the list they were looking at.

export type Filter = keyof typeof filterLabels;
export const FILTERS = Object.keys(filterLabels) as Filter[];

/** Paging within one section: continue after a task, or go back from one (ids). */
export interface Cursor {
  afterId: number | undefined;
  beforeId: number | undefined;
}

export interface HomeQuery {
  filter: Filter;
  /** What to search for, trimmed; '' for no search. */
  search: string;
  /** Why the ?q= could not be used (too long, control characters): the search field says so. */
  searchError: string | undefined;
  /** The open tasks' section (also Today's and Upcoming's: open tasks too). */
  open: Cursor;
  done: Cursor;
}

/** A list page: what it shows, and its own path (where actions taken on it return to). */
export interface HomePage {
  query: HomeQuery;
  path: string;
}

const cursorFrom = (query: Record<string, unknown>, prefix: 'open' | 'done'): Cursor => {
  const afterId = parseId(query[`${prefix}_after`]);
  // One direction at a time: "after" wins when a URL has both.
  return { afterId, beforeId: afterId === undefined ? parseId(query[`${prefix}_before`]) : undefined };
};

function parseHomeQuery(query: Record<string, unknown>): HomeQuery {
  const filter = FILTERS.find((f) => f === query.filter) ?? 'all';
  const { search, error } = parseSearch(query.q);
  return {
    filter,
    search,
    searchError: error,
    open: cursorFrom(query, 'open'),
    done: cursorFrom(query, 'done'),
  };
}

/** The home page's path for a filter and a search, with extra parameters (paging, edit). */
export function homePath(filter: Filter, extra: Record<string, string> = {}, search = ''): string {
  const params = new URLSearchParams({
    ...(filter === 'all' ? {} : { filter }),
    ...(search ? { q: search } : {}),
    ...extra,
  });
  const query = params.toString();
  return query ? `/?${query}` : '/';
}

function cursorParams(prefix: 'open' | 'done', cursor: Cursor): Record<string, string> {
  if (cursor.afterId) return { [`${prefix}_after`]: String(cursor.afterId) };
  if (cursor.beforeId) return { [`${prefix}_before`]: String(cursor.beforeId) };
  return {};
}

/** GET /?filter=…&open_after=…: the page, its path rebuilt from what we understood of the query. */
export function pageFromUrl(query: Request['query']): HomePage {
  const parsed = parseHomeQuery(query);
  const paging = { ...cursorParams('open', parsed.open), ...cursorParams('done', parsed.done) };
  return { query: parsed, path: homePath(parsed.filter, paging, parsed.search) };
}

/** The page a form was posted from (its return_to field), and only ever our home page. */
export function pageFromForm(req: Request): HomePage {
  const target = textField(req.body, 'return_to');
  const path = /^\/(\?[\w=&%.+*-]*)?$/.test(target) ? target : '/';
  const search = new URLSearchParams(path.slice(path.indexOf('?') + 1 || path.length));
  return { query: parseHomeQuery(Object.fromEntries(search)), path };
}

/** One list on the page: which tasks (view), and which URL parameters page through it. */
export interface SectionPlan {
  /** The section's ids on the page: open-title / open-tasks, completed-title / completed-tasks. */
  id: 'open' | 'completed';
  view: TaskView;
  paging: 'open' | 'done';
}

/** The sections a filter shows, in order, narrowed to the search's matches if there is one. */
export function sectionsFor(query: HomeQuery, today: IsoDate): SectionPlan[] {
  const search = query.search || undefined;
  const open: SectionPlan = { id: 'open', view: { kind: 'open', search }, paging: 'open' };
  const completed: SectionPlan = { id: 'completed', view: { kind: 'completed', search }, paging: 'done' };
  switch (query.filter) {
    case 'open':
      return [open];
    case 'completed':
      return [completed];
    case 'today':
      return [{ ...open, view: { kind: 'today', today, search } }];
    case 'upcoming':
      return [{ ...open, view: { kind: 'upcoming', search } }];
    default:
      return [open, completed];
  }
}

/** Which page of a section the URL asks for. */
export function pageRequest(plan: SectionPlan, query: HomeQuery, limit: number): PageRequest {
  const cursor = plan.paging === 'open' ? query.open : query.done;
  return { afterId: cursor.afterId, beforeId: cursor.beforeId, limit };
}

/** A section as the view draws it. */
export interface SectionLocals {
  id: 'open' | 'completed';
  title: string;
  count: number;
  tasks: TaskPage['tasks'];
  emptyText: string;
  /** Complete all / Clear completed, where the section shows all of its kind (kind: its data-action). */
  bulk: { action: string; kind: 'complete-all' | 'clear-completed'; label: string } | undefined;
  /** Rows get Move up / Move down: open tasks in the user's own order, not narrowed by a search. */
  movable: boolean;
  /** "51–100 of 131" and the links around it; undefined when everything fits on one page. */
  pager:
    | {
        range: ReturnType<typeof taskMessages.pageRange>;
        previous?: { href: string; label: string };
        next?: { href: string; label: string };
      }
    | undefined;
}

/** A section's tasks: one page of them, and how many the whole section holds. */
export interface SectionList {
  plan: SectionPlan;
  list: TaskPage;
  /** The section's count under a search (its matches); otherwise it comes from the counts. */
  matches: number | undefined;
}

function sectionLocals(
  page: HomePage,
  { plan, list, matches }: SectionList,
  counts: TaskCounts,
): SectionLocals {
  const kind = plan.view.kind;
  const total = matches ?? counts[kind];
  const words = taskMessages.sections[kind];
  const pathWith = (cursor: Record<string, string>) => homePath(page.query.filter, cursor, page.query.search);
  const paged = list.start > 1 || list.nextAfterId !== undefined;
  const end = list.start + list.tasks.length - 1;
  return {
    id: plan.id,
    title: words.title,
    count: total,
    tasks: list.tasks,
    emptyText: words.empty,
    movable: kind === 'open' && matches === undefined,
    // Under a search, Complete all and Clear completed would act on more than the page shows.
    bulk:
      matches !== undefined
        ? undefined
        : kind === 'open' && counts.open > 0
          ? { action: '/tasks/complete-all', kind: 'complete-all' as const, label: taskMessages.completeAll }
          : kind === 'completed' && counts.completed > 0
            ? {
                action: '/tasks/clear-completed',
                kind: 'clear-completed' as const,
                label: taskMessages.clearCompleted,
              }
            : undefined,
    pager: paged
      ? {
          range: taskMessages.pageRange(list.start, end, total),
          previous: list.previous && {
            href: pathWith(
              list.previous === 'first' ? {} : { [`${plan.paging}_before`]: String(list.previous.beforeId) },
            ),
            label: words.previous,
          },
          next: list.nextAfterId
            ? { href: pathWith({ [`${plan.paging}_after`]: String(list.nextAfterId) }), label: words.next }
            : undefined,
        }
      : undefined,
  };
}

/** What the list's view needs besides the tasks: links that keep the page, and its wording. */
export function listLocals(page: HomePage, counts: TaskCounts, today: IsoDate, sections: SectionList[]) {
  const { filter, search } = page.query;
  const matched = sections.reduce((sum, section) => sum + (section.matches ?? 0), 0);
  return {
    /** Due dates in words for this request's "today" (each distinct date worded once). */
    dueLabel: dueLabeller(today),
    filter,
    search,
    /** "2 tasks match “milk”", and the way back to the whole list. */
    searchSummary: search
      ? { text: taskMessages.searchMatches(matched, search), clearHref: homePath(filter) }
      : undefined,
    clearSearchLabel: taskMessages.clearSearch,
    filters: FILTERS.map((name) => ({
      name,
      label: filterLabels[name],
      // Switching filters keeps the search.
      href: homePath(name, {}, search),
      // The date filters show how many tasks they hold; the others' counts head their sections.
      count: name === 'today' || name === 'upcoming' ? counts[name] : undefined,
    })),
    // Under a search, a section without matches is left out: the summary says what was found.
    sections: sections
      .filter((section) => section.matches === undefined || section.matches > 0)
      .map((section) => sectionLocals(page, section, counts)),
    counterText: taskMessages.tasksLeft(counts),
    returnTo: page.path,
    /** The page's own query, for the #page-get form that Edit and Cancel submit. */
    pageParams: [...new URLSearchParams(page.path.slice(page.path.indexOf('?') + 1 || page.path.length))],
  };
}
