import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { currentToday, currentUserId, requireLogin } from '../auth/require-login';
import { addTaskForm, editTaskForm, moveTaskForm, parseId } from '../forms/task-forms';
import { parseForm, textField } from '../forms/parse-form';
import { flash, type Flash } from '../http/flash';
import { notFound } from '../http/http-error';
import { renderToString } from '../http/render';
import { wantsJson } from '../http/wants-json';
import type { IsoDate } from '../dates/calendar';
import { dateInWords } from '../dates/due-labels';
import {
  DUE_DATE_MAX,
  DUE_DATE_MIN,
  SEARCH_MAX,
  TASK_NAME_MAX,
  TASKS_PAGE_SIZE,
  UNDO_WINDOW_MS,
} from '../limits';
import { shortcutList, shortcutMessages } from '../messages/shortcuts';
import { taskMessages } from '../messages/tasks';
import {
  countTasks,
  countView,
  firstPagesWithCounts,
  listTaskPage,
  neighbourInView,
  type TaskCounts,
} from '../models/task-lists';
import { moveTask, type MoveTarget } from '../models/task-order';
import { clearCompletedTasks, completeAllTasks, undoBulkAction } from '../models/task-undo';
import {
  addTask,
  completeTask,
  deleteTask,
  editTask,
  findTask,
  reopenTask,
  restoreTask,
  type ListedTask,
} from '../models/tasks';
import {
  listLocals,
  pageFromForm,
  pageFromUrl,
  pageRequest,
  sectionsFor,
  type Filter,
  type HomePage,
  type SectionList,
} from './task-pages';

interface HomeExtras {
  newTask?: string;
  newDue?: string;
  errors?: Record<string, string>;
  /** The task whose form is open: what its fields hold, and the message by the field it is about. */
  editing?: { id: number; value: string; due: string; error: string; dueError: string };
  /** A task whose edit form the page opens (?edit=ID), when it is on the page. */
  editTaskId?: number;
  /** The search field's text as the user typed it. */
  searchInput?: string;
}

/** ?edit=ID opens that task's form, if the task is on this page (so it is the user's own). */
function editingFromQuery(home: { shownTasks: ListedTask[] }, taskId: number | undefined) {
  const task = home.shownTasks.find((t) => t.id === taskId);
  return task && { id: task.id, value: task.name, due: task.due ?? '', error: '', dueError: '' };
}

/** Completing takes a task out of Open, Today and Upcoming; on All it moves to Completed. */
const completingLeaves = (filter: Filter) => filter !== 'all' && filter !== 'completed';

function taskIdFrom(value: unknown): number {
  const id = parseId(value);
  if (id === undefined) throw notFound(taskMessages.taskNotFound);
  return id;
}

/** 422 for the enhancing script: the message, and the field it belongs to. */
function refuse(res: Response, message: string, field: string) {
  res.status(422).json({ error: { status: 422, message, field } });
}

/** What the page shows of its lists, from the counts and each section's page. */
function listed(page: HomePage, counts: TaskCounts, today: IsoDate, sections: SectionList[]) {
  return {
    counts,
    shownTasks: sections.flatMap((section) => section.list.tasks),
    taskNameMax: TASK_NAME_MAX,
    dueLimits: { min: DUE_DATE_MIN, max: DUE_DATE_MAX },
    ...listLocals(page, counts, today, sections),
  };
}

export function tasksRouter({ db, maxTasksPerUser }: { db: Knex; maxTasksPerUser: number }): Router {
  const router = Router();
  router.get('/', requireLogin, getHome);
  router.post('/', requireLogin, postTask);
  router.post('/delete-task', requireLogin, postCompleteTaskLegacy);
  router.post('/tasks/complete-all', requireLogin, postCompleteAll);
  router.post('/tasks/clear-completed', requireLogin, postClearCompleted);
  router.post('/tasks/undo/:id', requireLogin, postUndoBulk);
  router.post('/tasks/:id/complete', requireLogin, postCompleteTask);
  router.post('/tasks/:id/reopen', requireLogin, postReopenTask);
  router.post('/tasks/:id/edit', requireLogin, postEditTask);
  router.post('/tasks/:id/delete', requireLogin, postDeleteTask);
  router.post('/tasks/:id/undo-delete', requireLogin, postUndoDelete);
  router.post('/tasks/:id/move', requireLogin, postMoveTask);
  return router;

  /** The counts and the page of each list the page shows, in one round of queries. */
  async function loadList(res: Response, page: HomePage) {
    const ownerId = currentUserId(res);
    const today = currentToday(res);
    const plans = sectionsFor(page.query, today);
    const searching = page.query.search !== '';
    const requests = plans.map((plan) => pageRequest(plan, page.query, TASKS_PAGE_SIZE));
    // The usual page (first pages, no search): counts and lists in one statement.
    if (!searching && requests.every((r) => r.afterId === undefined && r.beforeId === undefined)) {
      const folded = await firstPagesWithCounts(
        db,
        ownerId,
        today,
        plans.map((plan) => plan.view),
        TASKS_PAGE_SIZE,
      );
      const sections = plans.map((plan, i) => ({ plan, list: folded.pages[i]!, matches: undefined }));
      return listed(page, folded.counts, today, sections);
    }
    const [counts, lists, matches] = await Promise.all([
      countTasks(db, ownerId, today),
      Promise.all(plans.map((plan, i) => listTaskPage(db, ownerId, plan.view, requests[i]!))),
      // A search also counts its matches, section by section (from the search index).
      searching ? Promise.all(plans.map((plan) => countView(db, ownerId, plan.view))) : [],
    ]);
    const sections = plans.map((plan, i) => ({ plan, list: lists[i]!, matches: matches[i] }));
    return listed(page, counts, today, sections);
  }

  async function renderHome(res: Response, status: number, page: HomePage, extras: HomeExtras = {}) {
    const list = await loadList(res, page);
    res.status(status).render('tasks/index', {
      title: 'Your tasks',
      ...list,
      newTask: extras.newTask ?? '',
      newDue: extras.newDue ?? '',
      searchInput: extras.searchInput ?? page.query.search,
      searchError: page.query.searchError,
      searchMax: SEARCH_MAX,
      moveLabels: { up: `${taskMessages.moveUp}:`, down: `${taskMessages.moveDown}:` },
      shortcuts: shortcutList,
      shortcutText: shortcutMessages,
      singleKeys: res.locals.currentUser?.keyboardShortcuts ?? true,
      errors: extras.errors ?? {},
      editing: extras.editing ?? editingFromQuery(list, extras.editTaskId),
    });
  }

  async function getHome(req: Request, res: Response) {
    const page = pageFromUrl(req.query);
    // A search that cannot be run shows the whole list, with the message by the search field.
    const status = page.query.searchError ? 422 : 200;
    await renderHome(res, status, page, {
      editTaskId: parseId(req.query.edit),
      searchInput: typeof req.query.q === 'string' ? req.query.q : '',
    });
  }

  /**
   * The one way every action answers: a browser form gets a flash and a 303 back to where it
   * came from; the enhancing script (Accept: application/json) gets the message and the freshly
   * rendered list, so there is one implementation of each action.
   */
  async function respond(
    req: Request,
    res: Response,
    message: Flash,
    { status = 200, anchorId }: { status?: number; anchorId?: number } = {},
  ) {
    const page = pageFromForm(req);
    if (!wantsJson(req)) {
      const { kind, text, ...undo } = message;
      flash(req, kind, text, undo);
      // Back to the task's place in a long list, not to the top (#task-42 is the row's id).
      res.redirect(303, anchorId === undefined ? page.path : `${page.path}#task-${anchorId}`);
      return;
    }
    const list = await loadList(res, page);
    const html = await renderToString(res, 'tasks/list', { ...list, flash: [message], flashLive: false });
    res.status(status).json({ message, counts: list.counts, html });
  }

  /** A due date in words for a sentence ("due Fri 4 Dec"), in the user's own calendar. */
  function dueWords(res: Response, due: string | null): string | null {
    return due && dateInWords(due, currentToday(res));
  }

  async function postTask(req: Request, res: Response) {
    const form = parseForm(addTaskForm, req.body);
    if (!form.ok) {
      // The name's message first: one field at a time, where the user starts.
      const field = form.errors.task ? 'task' : 'due';
      const text = form.errors[field] ?? taskMessages.taskBlank;
      if (wantsJson(req)) return refuse(res, text, field);
      return renderHome(res, 422, pageFromForm(req), {
        newTask: textField(req.body, 'task'),
        newDue: textField(req.body, 'due'),
        errors: { [field]: text },
      });
    }
    const task = await addTask(db, currentUserId(res), form.value.task, maxTasksPerUser, {
      due: form.value.due,
    });
    if (!task) {
      const text = taskMessages.taskQuotaFull(maxTasksPerUser);
      if (wantsJson(req)) return refuse(res, text, 'task');
      return renderHome(res, 422, pageFromForm(req), {
        newTask: textField(req.body, 'task'),
        newDue: textField(req.body, 'due'),
        errors: { task: text },
      });
    }
    const text = taskMessages.taskAdded(task.name, dueWords(res, task.due));
    await respond(req, res, { kind: 'success', text }, { status: 201 });
  }

  /**
   * Where a browser without the script lands after acting on a task: its row (#task-42), or,
   * when the action takes it out of the list it was in, the row that took its place. The
   * script keeps its own focus, so it is spared the query.
   */
  async function landing(
    req: Request,
    res: Response,
    task: { id: number; completed: boolean },
    leaves: (filter: Filter) => boolean,
  ): Promise<number | undefined> {
    if (wantsJson(req)) return undefined;
    const page = pageFromForm(req);
    if (!leaves(page.query.filter)) return task.id;
    const plans = sectionsFor(page.query, currentToday(res));
    const plan = plans.find((p) => (p.view.kind === 'completed') === task.completed) ?? plans[0]!;
    return neighbourInView(db, currentUserId(res), plan.view, task.id);
  }

  async function completeAndRespond(req: Request, res: Response, taskId: number, { anchored = true } = {}) {
    const anchorId = anchored
      ? await landing(req, res, { id: taskId, completed: false }, completingLeaves)
      : undefined;
    const name = await completeTask(db, currentUserId(res), taskId);
    if (name === undefined) throw notFound(taskMessages.taskNotFound);
    await respond(req, res, { kind: 'success', text: taskMessages.taskCompleted(name) }, { anchorId });
  }

  // POST /delete-task is the original app's route for completing a task (its form field is
  // task-id): kept exactly as it was for old forms and clients.
  async function postCompleteTaskLegacy(req: Request, res: Response) {
    await completeAndRespond(req, res, taskIdFrom(textField(req.body, 'task-id')), { anchored: false });
  }

  async function postCompleteTask(req: Request, res: Response) {
    await completeAndRespond(req, res, taskIdFrom(req.params.id));
  }

  async function postReopenTask(req: Request, res: Response) {
    const taskId = taskIdFrom(req.params.id);
    const anchorId = await landing(
      req,
      res,
      { id: taskId, completed: true },
      (filter) => filter === 'completed',
    );
    const name = await reopenTask(db, currentUserId(res), taskId);
    if (name === undefined) throw notFound(taskMessages.taskNotFound);
    await respond(req, res, { kind: 'success', text: taskMessages.taskReopened(name) }, { anchorId });
  }

  async function postEditTask(req: Request, res: Response) {
    const ownerId = currentUserId(res);
    const taskId = taskIdFrom(req.params.id);
    // Ownership first: someone else's id is a 404 whatever the name says.
    const task = await findTask(db, ownerId, taskId);
    if (!task) throw notFound(taskMessages.taskNotFound);
    const form = parseForm(editTaskForm, req.body);
    if (!form.ok) {
      const field = form.errors.name ? 'name' : 'due';
      const text = form.errors[field] ?? taskMessages.taskBlank;
      if (wantsJson(req)) return refuse(res, text, field);
      const editing = {
        id: taskId,
        value: textField(req.body, 'name'),
        due: textField(req.body, 'due'),
        error: field === 'name' ? text : '',
        dueError: field === 'due' ? text : '',
      };
      return renderHome(res, 422, pageFromForm(req), { editing });
    }
    const { name, due } = form.value;
    if (!(await editTask(db, ownerId, taskId, { name, due }))) throw notFound(taskMessages.taskNotFound);
    // The message says what changed: the name, the date, or both.
    const dueChanged = due !== undefined && due !== task.due;
    const text =
      name !== task.name || !dueChanged
        ? taskMessages.taskRenamed(name, dueChanged ? dueWords(res, due) : undefined)
        : taskMessages.taskDueChanged(name, dueWords(res, due));
    await respond(req, res, { kind: 'success', text }, { anchorId: taskId });
  }

  async function postDeleteTask(req: Request, res: Response) {
    const ownerId = currentUserId(res);
    const taskId = taskIdFrom(req.params.id);
    // The neighbour is found before the task is gone (its place is what finds it).
    const task = wantsJson(req) ? undefined : await findTask(db, ownerId, taskId);
    const anchorId = task && (await landing(req, res, task, () => true));
    const row = await deleteTask(db, ownerId, taskId);
    if (!row) throw notFound(taskMessages.taskNotFound);
    req.session.deletedTask = { row, at: Date.now() };
    await respond(
      req,
      res,
      { kind: 'success', text: taskMessages.taskDeleted(row.name), undoTaskId: row.id },
      { anchorId },
    );
  }

  async function postUndoDelete(req: Request, res: Response) {
    const taskId = taskIdFrom(req.params.id);
    const stash = req.session.deletedTask;
    if (!stash || stash.row.id !== taskId || Date.now() - stash.at > UNDO_WINDOW_MS) {
      throw notFound(taskMessages.undoExpired);
    }
    if (!(await restoreTask(db, currentUserId(res), stash.row))) throw notFound(taskMessages.undoExpired);
    delete req.session.deletedTask;
    await respond(
      req,
      res,
      { kind: 'success', text: taskMessages.taskRestored(stash.row.name) },
      { anchorId: taskId },
    );
  }

  async function postMoveTask(req: Request, res: Response) {
    const ownerId = currentUserId(res);
    const taskId = taskIdFrom(req.params.id);
    const form = parseForm(moveTaskForm, req.body);
    if (!form.ok) {
      // Someone else's task is a 404 whatever the form says.
      if (!(await findTask(db, ownerId, taskId))) throw notFound(taskMessages.taskNotFound);
      if (wantsJson(req)) return refuse(res, taskMessages.moveDirection, 'direction');
      res.locals.flash.push({ kind: 'error', text: taskMessages.moveDirection });
      return renderHome(res, 422, pageFromForm(req));
    }
    const target: MoveTarget =
      'direction' in form.value
        ? { direction: form.value.direction }
        : { beforeId: form.value.before === null ? null : taskIdFrom(form.value.before) };
    const result = await moveTask(db, ownerId, taskId, target);
    if (!result) throw notFound(taskMessages.taskNotFound);
    const text = (result.moved ? taskMessages.taskMoved : taskMessages.taskNotMoved)(
      result.name,
      result.rank,
      result.of,
    );
    await respond(req, res, { kind: 'success', text }, { anchorId: taskId });
  }

  async function postCompleteAll(req: Request, res: Response) {
    const { count, undoId } = await completeAllTasks(db, currentUserId(res));
    await respond(req, res, { kind: 'success', text: taskMessages.completedAll(count), undoBulkId: undoId });
  }

  async function postClearCompleted(req: Request, res: Response) {
    const { count, undoId } = await clearCompletedTasks(db, currentUserId(res));
    await respond(req, res, {
      kind: 'success',
      text: taskMessages.clearedCompleted(count),
      undoBulkId: undoId,
    });
  }

  async function postUndoBulk(req: Request, res: Response) {
    const undone = await undoBulkAction(db, currentUserId(res), taskIdFrom(req.params.id));
    if (!undone) throw notFound(taskMessages.bulkUndoExpired);
    const text = (undone.kind === 'complete-all' ? taskMessages.reopenedAll : taskMessages.restoredAll)(
      undone.count,
    );
    await respond(req, res, { kind: 'success', text });
  }
}
