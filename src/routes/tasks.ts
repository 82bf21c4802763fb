import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { addTaskForm, editTaskForm, parseId } from '../forms/task-forms';
import { parseForm, textField } from '../forms/parse-form';
import { notFound } from '../http-error';
import { wantsJson } from '../wants-json';
import { renderToString } from './render';
import { TASK_NAME_MAX, TASKS_PAGE_SIZE } from '../limits';
import { messages } from '../messages';
import { flash, type Flash } from '../middleware/flash';
import { currentUserId, requireLogin } from '../middleware/require-login';
import {
  addTask,
  clearCompletedTasks,
  completeAllTasks,
  completeTask,
  countTasks,
  deleteTask,
  findTask,
  listTasks,
  renameTask,
  reopenTask,
  restoreTask,
  type TaskPage,
} from '../models/tasks';

export const FILTERS = ['all', 'open', 'completed'] as const;
export type Filter = (typeof FILTERS)[number];

const UNDO_WINDOW_MS = 10 * 60 * 1000;

interface HomeQuery {
  filter: Filter;
  openAfter: number | undefined;
  doneAfter: number | undefined;
}

function parseHomeQuery(query: Request['query']): HomeQuery {
  const filter = FILTERS.find((f) => f === query.filter) ?? 'all';
  return { filter, openAfter: parseId(query.open_after), doneAfter: parseId(query.done_after) };
}

/** The page a task's Edit link opens without JavaScript: this page, with that task's form open. */
function editPath(returnTo: string, taskId: number): string {
  return `${returnTo}${returnTo.includes('?') ? '&' : '?'}edit=${taskId}#task-${taskId}`;
}

/** Where to send the user after an action: the page they were on, and only ever our home page. */
function returnPath(req: Request): string {
  const target = textField(req.body, 'return_to');
  return /^\/(\?[\w=&%.-]*)?$/.test(target) ? target : '/';
}

function homeQueryFromPath(path: string): HomeQuery {
  return parseHomeQuery(Object.fromEntries(new URL(path, 'http://x').searchParams));
}

export function tasksRouter({ db }: { db: Knex }): Router {
  const router = Router();
  router.get('/', requireLogin, getHome);
  router.post('/', requireLogin, postTask);
  router.post('/delete-task', requireLogin, postDeleteTaskLegacy);
  router.post('/tasks/complete-all', requireLogin, postCompleteAll);
  router.post('/tasks/clear-completed', requireLogin, postClearCompleted);
  router.post('/tasks/:id/complete', requireLogin, postCompleteTask);
  router.post('/tasks/:id/reopen', requireLogin, postReopenTask);
  router.post('/tasks/:id/edit', requireLogin, postEditTask);
  router.post('/tasks/:id/delete', requireLogin, postDeleteTask);
  router.post('/tasks/:id/undo-delete', requireLogin, postUndoDelete);
  return router;

  async function loadHome(ownerId: number, query: HomeQuery) {
    const empty: TaskPage = { tasks: [], nextAfterId: undefined };
    const [counts, open, completed] = await Promise.all([
      countTasks(db, ownerId),
      query.filter === 'completed'
        ? empty
        : listTasks(db, ownerId, { completed: false, limit: TASKS_PAGE_SIZE, afterId: query.openAfter }),
      query.filter === 'open'
        ? empty
        : listTasks(db, ownerId, { completed: true, limit: TASKS_PAGE_SIZE, afterId: query.doneAfter }),
    ]);
    return { ...query, counts, open, completed, taskNameMax: TASK_NAME_MAX };
  }

  function homePath(query: HomeQuery, extra: Record<string, string> = {}): string {
    const params = new URLSearchParams({
      ...(query.filter === 'all' ? {} : { filter: query.filter }),
      ...extra,
    });
    const search = params.toString();
    return search ? `/?${search}` : '/';
  }

  interface HomeExtras {
    newTask?: string;
    errors?: Record<string, string>;
    editing?: { id: number; value: string; error: string };
    /** A task whose edit form the page opens (?edit=ID), when it is on the page. */
    editTaskId?: number;
  }

  /** What the list's links need: paging links keep the filter, Edit links keep the whole page. */
  function linkHelpers(query: HomeQuery, returnTo: string) {
    return {
      homePath: (extra: Record<string, string> = {}) => homePath(query, extra),
      editPath: (taskId: number) => editPath(returnTo, taskId),
      returnTo,
    };
  }

  async function renderHome(res: Response, status: number, returnTo: string, extras: HomeExtras = {}) {
    const query = homeQueryFromPath(returnTo);
    const home = await loadHome(currentUserId(res), query);
    res.status(status).render('tasks/index', {
      title: 'Your tasks',
      ...home,
      ...linkHelpers(query, returnTo),
      newTask: extras.newTask ?? '',
      errors: extras.errors ?? {},
      editing: extras.editing ?? editingFromQuery(home, extras.editTaskId),
    });
  }

  /** ?edit=ID opens that task's form, if the task is on this page (so it is the user's own). */
  function editingFromQuery(home: { open: TaskPage; completed: TaskPage }, taskId: number | undefined) {
    const task = [...home.open.tasks, ...home.completed.tasks].find((t) => t.id === taskId);
    return task && { id: task.id, value: task.name, error: '' };
  }

  async function getHome(req: Request, res: Response) {
    // Where actions on this page return to, rebuilt from what we understood of the query.
    const query = parseHomeQuery(req.query);
    const paging: Record<string, string> = {};
    if (query.openAfter) paging.open_after = String(query.openAfter);
    if (query.doneAfter) paging.done_after = String(query.doneAfter);
    await renderHome(res, 200, homePath(query, paging), { editTaskId: parseId(req.query.edit) });
  }

  /**
   * The one way every action answers: a browser form gets a flash and a 303 back to where it
   * came from; the enhancing script (Accept: application/json) gets the message and the freshly
   * rendered list, so there is one implementation of each action.
   */
  async function respond(req: Request, res: Response, message: Flash, status = 200) {
    const back = returnPath(req);
    if (!wantsJson(req)) {
      flash(req, message.kind, message.text, message.undoTaskId ? { undoTaskId: message.undoTaskId } : {});
      res.redirect(303, back);
      return;
    }
    const query = homeQueryFromPath(back);
    const home = await loadHome(currentUserId(res), query);
    const html = await renderToString(res, 'tasks/list', {
      ...home,
      flash: [message],
      flashLive: false,
      ...linkHelpers(query, back),
    });
    res.status(status).json({ message, counts: home.counts, html });
  }

  function refuse(res: Response, message: string, field: string) {
    res.status(422).json({ error: { status: 422, message, field } });
  }

  async function postTask(req: Request, res: Response) {
    const form = parseForm(addTaskForm, req.body);
    if (!form.ok) {
      const text = form.errors.task ?? messages.taskBlank;
      if (wantsJson(req)) return refuse(res, text, 'task');
      return renderHome(res, 422, returnPath(req), {
        newTask: textField(req.body, 'task'),
        errors: { task: text },
      });
    }
    const task = await addTask(db, currentUserId(res), form.value.task);
    await respond(req, res, { kind: 'success', text: messages.taskAdded(task.name) }, 201);
  }

  function taskIdFrom(value: unknown): number {
    const id = parseId(value);
    if (id === undefined) throw notFound(messages.taskNotFound);
    return id;
  }

  async function completeAndRespond(req: Request, res: Response, taskId: number) {
    const name = await completeTask(db, currentUserId(res), taskId);
    if (name === undefined) throw notFound(messages.taskNotFound);
    await respond(req, res, { kind: 'success', text: messages.taskCompleted(name) });
  }

  // The original app's name for "complete": kept exactly as it was for old forms and clients.
  async function postDeleteTaskLegacy(req: Request, res: Response) {
    await completeAndRespond(req, res, taskIdFrom(textField(req.body, 'task-id')));
  }

  async function postCompleteTask(req: Request, res: Response) {
    await completeAndRespond(req, res, taskIdFrom(req.params.id));
  }

  async function postReopenTask(req: Request, res: Response) {
    const name = await reopenTask(db, currentUserId(res), taskIdFrom(req.params.id));
    if (name === undefined) throw notFound(messages.taskNotFound);
    await respond(req, res, { kind: 'success', text: messages.taskReopened(name) });
  }

  async function postEditTask(req: Request, res: Response) {
    const ownerId = currentUserId(res);
    const taskId = taskIdFrom(req.params.id);
    // Ownership first: someone else's id is a 404 whatever the name says.
    const task = await findTask(db, ownerId, taskId);
    if (!task) throw notFound(messages.taskNotFound);
    const form = parseForm(editTaskForm, req.body);
    if (!form.ok) {
      const text = form.errors.name ?? messages.taskBlank;
      if (wantsJson(req)) return refuse(res, text, 'name');
      const editing = { id: taskId, value: textField(req.body, 'name'), error: text };
      return renderHome(res, 422, returnPath(req), { editing });
    }
    if (!(await renameTask(db, ownerId, taskId, form.value.name))) throw notFound(messages.taskNotFound);
    await respond(req, res, { kind: 'success', text: messages.taskRenamed(form.value.name) });
  }

  async function postDeleteTask(req: Request, res: Response) {
    const row = await deleteTask(db, currentUserId(res), taskIdFrom(req.params.id));
    if (!row) throw notFound(messages.taskNotFound);
    req.session.deletedTask = { row, at: Date.now() };
    await respond(req, res, { kind: 'success', text: messages.taskDeleted(row.name), undoTaskId: row.id });
  }

  async function postUndoDelete(req: Request, res: Response) {
    const taskId = taskIdFrom(req.params.id);
    const stash = req.session.deletedTask;
    if (!stash || stash.row.id !== taskId || Date.now() - stash.at > UNDO_WINDOW_MS) {
      throw notFound(messages.undoExpired);
    }
    if (!(await restoreTask(db, currentUserId(res), stash.row))) throw notFound(messages.undoExpired);
    delete req.session.deletedTask;
    await respond(req, res, { kind: 'success', text: messages.taskRestored(stash.row.name) });
  }

  async function postCompleteAll(req: Request, res: Response) {
    const count = await completeAllTasks(db, currentUserId(res));
    await respond(req, res, { kind: 'success', text: messages.completedAll(count) });
  }

  async function postClearCompleted(req: Request, res: Response) {
    const count = await clearCompletedTasks(db, currentUserId(res));
    await respond(req, res, { kind: 'success', text: messages.clearedCompleted(count) });
  }
}
