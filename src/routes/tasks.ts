import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { currentUserId, requireLogin } from '../auth/require-login';
import { addTaskForm, editTaskForm, parseId } from '../forms/task-forms';
import { parseForm, textField } from '../forms/parse-form';
import { flash, type Flash } from '../http/flash';
import { notFound } from '../http/http-error';
import { renderToString } from '../http/render';
import { wantsJson } from '../http/wants-json';
import { TASK_NAME_MAX, TASKS_PAGE_SIZE } from '../limits';
import { taskMessages } from '../messages/tasks';
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
import { listLocals, pageFromForm, pageFromUrl, type HomePage } from './task-pages';

const UNDO_WINDOW_MS = 10 * 60 * 1000;

interface HomeExtras {
  newTask?: string;
  errors?: Record<string, string>;
  editing?: { id: number; value: string; error: string };
  /** A task whose edit form the page opens (?edit=ID), when it is on the page. */
  editTaskId?: number;
}

/** ?edit=ID opens that task's form, if the task is on this page (so it is the user's own). */
function editingFromQuery(home: { open: TaskPage; completed: TaskPage }, taskId: number | undefined) {
  const task = [...home.open.tasks, ...home.completed.tasks].find((t) => t.id === taskId);
  return task && { id: task.id, value: task.name, error: '' };
}

function taskIdFrom(value: unknown): number {
  const id = parseId(value);
  if (id === undefined) throw notFound(taskMessages.taskNotFound);
  return id;
}

/** 422 for the enhancing script: the message, and the field it belongs to. */
function refuse(res: Response, message: string, field: string) {
  res.status(422).json({ error: { status: 422, message, field } });
}

export function tasksRouter({ db, maxTasksPerUser }: { db: Knex; maxTasksPerUser: number }): Router {
  const router = Router();
  router.get('/', requireLogin, getHome);
  router.post('/', requireLogin, postTask);
  router.post('/delete-task', requireLogin, postCompleteTaskLegacy);
  router.post('/tasks/complete-all', requireLogin, postCompleteAll);
  router.post('/tasks/clear-completed', requireLogin, postClearCompleted);
  router.post('/tasks/:id/complete', requireLogin, postCompleteTask);
  router.post('/tasks/:id/reopen', requireLogin, postReopenTask);
  router.post('/tasks/:id/edit', requireLogin, postEditTask);
  router.post('/tasks/:id/delete', requireLogin, postDeleteTask);
  router.post('/tasks/:id/undo-delete', requireLogin, postUndoDelete);
  return router;

  /** The counts and the page of each list the page shows, in one round of queries. */
  async function loadList(ownerId: number, page: HomePage) {
    const { filter, openAfter, doneAfter } = page.query;
    const empty: TaskPage = { tasks: [], nextAfterId: undefined };
    const [counts, open, completed] = await Promise.all([
      countTasks(db, ownerId),
      filter === 'completed'
        ? empty
        : listTasks(db, ownerId, { completed: false, limit: TASKS_PAGE_SIZE, afterId: openAfter }),
      filter === 'open'
        ? empty
        : listTasks(db, ownerId, { completed: true, limit: TASKS_PAGE_SIZE, afterId: doneAfter }),
    ]);
    return { counts, open, completed, taskNameMax: TASK_NAME_MAX, ...listLocals(page, counts) };
  }

  async function renderHome(res: Response, status: number, page: HomePage, extras: HomeExtras = {}) {
    const list = await loadList(currentUserId(res), page);
    res.status(status).render('tasks/index', {
      title: 'Your tasks',
      ...list,
      newTask: extras.newTask ?? '',
      errors: extras.errors ?? {},
      editing: extras.editing ?? editingFromQuery(list, extras.editTaskId),
    });
  }

  async function getHome(req: Request, res: Response) {
    await renderHome(res, 200, pageFromUrl(req.query), { editTaskId: parseId(req.query.edit) });
  }

  /**
   * The one way every action answers: a browser form gets a flash and a 303 back to where it
   * came from; the enhancing script (Accept: application/json) gets the message and the freshly
   * rendered list, so there is one implementation of each action.
   */
  async function respond(req: Request, res: Response, message: Flash, status = 200) {
    const page = pageFromForm(req);
    if (!wantsJson(req)) {
      flash(req, message.kind, message.text, message.undoTaskId ? { undoTaskId: message.undoTaskId } : {});
      res.redirect(303, page.path);
      return;
    }
    const list = await loadList(currentUserId(res), page);
    const html = await renderToString(res, 'tasks/list', { ...list, flash: [message], flashLive: false });
    res.status(status).json({ message, counts: list.counts, html });
  }

  async function postTask(req: Request, res: Response) {
    const form = parseForm(addTaskForm, req.body);
    if (!form.ok) {
      const text = form.errors.task ?? taskMessages.taskBlank;
      if (wantsJson(req)) return refuse(res, text, 'task');
      return renderHome(res, 422, pageFromForm(req), {
        newTask: textField(req.body, 'task'),
        errors: { task: text },
      });
    }
    const task = await addTask(db, currentUserId(res), form.value.task, maxTasksPerUser);
    if (!task) {
      const text = taskMessages.taskQuotaFull(maxTasksPerUser);
      if (wantsJson(req)) return refuse(res, text, 'task');
      return renderHome(res, 422, pageFromForm(req), {
        newTask: textField(req.body, 'task'),
        errors: { task: text },
      });
    }
    await respond(req, res, { kind: 'success', text: taskMessages.taskAdded(task.name) }, 201);
  }

  async function completeAndRespond(req: Request, res: Response, taskId: number) {
    const name = await completeTask(db, currentUserId(res), taskId);
    if (name === undefined) throw notFound(taskMessages.taskNotFound);
    await respond(req, res, { kind: 'success', text: taskMessages.taskCompleted(name) });
  }

  // POST /delete-task is the original app's route for completing a task (its form field is
  // task-id): kept exactly as it was for old forms and clients.
  async function postCompleteTaskLegacy(req: Request, res: Response) {
    await completeAndRespond(req, res, taskIdFrom(textField(req.body, 'task-id')));
  }

  async function postCompleteTask(req: Request, res: Response) {
    await completeAndRespond(req, res, taskIdFrom(req.params.id));
  }

  async function postReopenTask(req: Request, res: Response) {
    const name = await reopenTask(db, currentUserId(res), taskIdFrom(req.params.id));
    if (name === undefined) throw notFound(taskMessages.taskNotFound);
    await respond(req, res, { kind: 'success', text: taskMessages.taskReopened(name) });
  }

  async function postEditTask(req: Request, res: Response) {
    const ownerId = currentUserId(res);
    const taskId = taskIdFrom(req.params.id);
    // Ownership first: someone else's id is a 404 whatever the name says.
    const task = await findTask(db, ownerId, taskId);
    if (!task) throw notFound(taskMessages.taskNotFound);
    const form = parseForm(editTaskForm, req.body);
    if (!form.ok) {
      const text = form.errors.name ?? taskMessages.taskBlank;
      if (wantsJson(req)) return refuse(res, text, 'name');
      const editing = { id: taskId, value: textField(req.body, 'name'), error: text };
      return renderHome(res, 422, pageFromForm(req), { editing });
    }
    if (!(await renameTask(db, ownerId, taskId, form.value.name))) throw notFound(taskMessages.taskNotFound);
    await respond(req, res, { kind: 'success', text: taskMessages.taskRenamed(form.value.name) });
  }

  async function postDeleteTask(req: Request, res: Response) {
    const row = await deleteTask(db, currentUserId(res), taskIdFrom(req.params.id));
    if (!row) throw notFound(taskMessages.taskNotFound);
    req.session.deletedTask = { row, at: Date.now() };
    await respond(req, res, {
      kind: 'success',
      text: taskMessages.taskDeleted(row.name),
      undoTaskId: row.id,
    });
  }

  async function postUndoDelete(req: Request, res: Response) {
    const taskId = taskIdFrom(req.params.id);
    const stash = req.session.deletedTask;
    if (!stash || stash.row.id !== taskId || Date.now() - stash.at > UNDO_WINDOW_MS) {
      throw notFound(taskMessages.undoExpired);
    }
    if (!(await restoreTask(db, currentUserId(res), stash.row))) throw notFound(taskMessages.undoExpired);
    delete req.session.deletedTask;
    await respond(req, res, { kind: 'success', text: taskMessages.taskRestored(stash.row.name) });
  }

  async function postCompleteAll(req: Request, res: Response) {
    const count = await completeAllTasks(db, currentUserId(res));
    await respond(req, res, { kind: 'success', text: taskMessages.completedAll(count) });
  }

  async function postClearCompleted(req: Request, res: Response) {
    const count = await clearCompletedTasks(db, currentUserId(res));
    await respond(req, res, { kind: 'success', text: taskMessages.clearedCompleted(count) });
  }
}
