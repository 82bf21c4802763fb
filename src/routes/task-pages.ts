import type { Request } from 'express';
import { parseId } from '../forms/task-forms';
import { textField } from '../forms/parse-form';
import { filterLabels, taskMessages } from '../messages/tasks';
import type { TaskCounts } from '../models/tasks';

// The home page's addresses: which list a URL asks for, and the links and return paths that
// keep the user on the list they were looking at.

export type Filter = keyof typeof filterLabels;
export const FILTERS = Object.keys(filterLabels) as Filter[];

export interface HomeQuery {
  filter: Filter;
  openAfter: number | undefined;
  doneAfter: number | undefined;
}

/** A list page: what it shows, and its own path (where actions taken on it return to). */
export interface HomePage {
  query: HomeQuery;
  path: string;
}

function parseHomeQuery(query: Record<string, unknown>): HomeQuery {
  const filter = FILTERS.find((f) => f === query.filter) ?? 'all';
  return { filter, openAfter: parseId(query.open_after), doneAfter: parseId(query.done_after) };
}

/** The home page's path for a filter, with extra parameters (paging, edit). */
export function homePath(filter: Filter, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ...(filter === 'all' ? {} : { filter }), ...extra });
  const search = params.toString();
  return search ? `/?${search}` : '/';
}

/** GET /?filter=…&open_after=…: the page, its path rebuilt from what we understood of the query. */
export function pageFromUrl(query: Request['query']): HomePage {
  const parsed = parseHomeQuery(query);
  const paging: Record<string, string> = {};
  if (parsed.openAfter) paging.open_after = String(parsed.openAfter);
  if (parsed.doneAfter) paging.done_after = String(parsed.doneAfter);
  return { query: parsed, path: homePath(parsed.filter, paging) };
}

/** The page a form was posted from (its return_to field), and only ever our home page. */
export function pageFromForm(req: Request): HomePage {
  const target = textField(req.body, 'return_to');
  const path = /^\/(\?[\w=&%.-]*)?$/.test(target) ? target : '/';
  const search = new URLSearchParams(path.slice(path.indexOf('?') + 1 || path.length));
  return { query: parseHomeQuery(Object.fromEntries(search)), path };
}

/** The page a task's Edit link opens without JavaScript: this page, with that task's form open. */
function editPath(returnTo: string, taskId: number): string {
  return `${returnTo}${returnTo.includes('?') ? '&' : '?'}edit=${taskId}#task-${taskId}`;
}

/** What the list's view needs besides the tasks: links that keep the page, and its wording. */
export function listLocals(page: HomePage, counts: TaskCounts) {
  return {
    filter: page.query.filter,
    filters: FILTERS.map((name) => ({ name, label: filterLabels[name], href: homePath(name) })),
    counterText: taskMessages.tasksLeft(counts),
    homePath: (extra: Record<string, string> = {}) => homePath(page.query.filter, extra),
    editPath: (taskId: number) => editPath(page.path, taskId),
    returnTo: page.path,
  };
}
