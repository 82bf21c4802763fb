import type { Knex } from 'knex';
import { ConfigError } from '../config';
import { MAX_TASKS_PER_USER_DEFAULT } from '../limits';
import { addTask, completeTask } from '../models/tasks';
import { createUser, findUserByEmail } from '../models/users';
import type { Passwords } from '../auth/passwords';
import { addDays } from '../dates/calendar';
import { searchText } from '../db/search-text';
import { todayIn } from '../dates/time-zones';

export const DEMO_EMAIL = 'demo@example.com';
export const DEMO_PASSWORD = 'get-it-done-demo';
export const BULK_PASSWORD = 'bulk-user-password';

/** The demo's tasks; `dueIn` is days from the day of seeding (negative: overdue). */
const DEMO_TASKS: { name: string; completed: boolean; dueIn?: number }[] = [
  { name: 'Water the plants', completed: false, dueIn: 0 },
  { name: 'Book a dentist appointment', completed: false, dueIn: -2 },
  { name: 'Read one chapter of a book', completed: false, dueIn: 5 },
  { name: 'Reply to Sam about the weekend', completed: true, dueIn: -1 },
  { name: 'Take out the recycling', completed: true },
];

export interface SeedOptions {
  /** Extra generated users, for benchmarks. */
  users?: number;
  /** Tasks per generated user (half of them completed); at most maxTasksPerUser. */
  tasks?: number;
  /** The app's MAX_TASKS_PER_USER: no account is seeded past it. */
  maxTasksPerUser?: number;
  log?: (line: string) => void;
}

export interface SeedResult {
  demoCreated: boolean;
  usersCreated: number;
  tasksCreated: number;
}

export const bulkEmail = (n: number) => `user${String(n).padStart(6, '0')}@example.com`;

/** Idempotent: the demo account and each generated user are created once, by email. */
export async function seed(db: Knex, passwords: Passwords, options: SeedOptions = {}): Promise<SeedResult> {
  const log = options.log ?? (() => {});
  const maxTasks = options.maxTasksPerUser ?? MAX_TASKS_PER_USER_DEFAULT;
  if ((options.tasks ?? 0) > maxTasks) {
    throw new ConfigError(
      `--tasks ${options.tasks} is more than one account may hold (MAX_TASKS_PER_USER is ${maxTasks}); nothing was seeded.`,
    );
  }
  let demoCreated = false;
  if (!(await findUserByEmail(db, DEMO_EMAIL))) {
    const demo = await createUser(db, {
      email: DEMO_EMAIL,
      passwordHash: await passwords.hash(DEMO_PASSWORD),
    });
    if (demo) {
      demoCreated = true;
      const today = todayIn(demo.timeZone);
      for (const task of DEMO_TASKS) {
        const due = task.dueIn === undefined ? null : addDays(today, task.dueIn);
        const created = await addTask(db, demo.id, task.name, maxTasks, { due });
        if (created && task.completed) await completeTask(db, demo.id, created.id);
      }
    }
  }
  const bulk = await seedBulk(db, passwords, options.users ?? 0, options.tasks ?? 0, log);
  return { demoCreated, ...bulk };
}

const USER_BATCH = 500;
// SQLite allows at most 500 terms in a compound SELECT, which is how Knex writes a multi-row insert.
const TASK_BATCH = 400;

/** Generated users share one password, hashed once; rows go in batched inserts, one transaction per batch. */
async function seedBulk(
  db: Knex,
  passwords: Passwords,
  users: number,
  tasksPerUser: number,
  log: (line: string) => void,
): Promise<Omit<SeedResult, 'demoCreated'>> {
  if (users <= 0) return { usersCreated: 0, tasksCreated: 0 };
  const passwordHash = await passwords.hash(BULK_PASSWORD);
  let usersCreated = 0;
  let tasksCreated = 0;
  for (let start = 1; start <= users; start += USER_BATCH) {
    const emails = Array.from({ length: Math.min(USER_BATCH, users - start + 1) }, (_, i) =>
      bulkEmail(start + i),
    );
    await db.transaction(async (trx) => {
      const existing = new Set(
        (await trx('users').whereIn('email', emails).select('email')).map(
          (row: { email: string }) => row.email,
        ),
      );
      const fresh = emails.filter((email) => !existing.has(email));
      if (fresh.length === 0) return;
      const ids: number[] = [];
      for (const email of fresh) {
        const [row] = await trx('users').insert({ email, password_hash: passwordHash }).returning('id');
        ids.push((row as { id: number }).id);
      }
      usersCreated += ids.length;
      let rows: Record<string, unknown>[] = [];
      const flush = async () => {
        if (rows.length) await trx('tasks').insert(rows);
        tasksCreated += rows.length;
        rows = [];
      };
      for (const ownerId of ids) {
        for (let t = 1; t <= tasksPerUser; t++) {
          const completed = t % 2 === 0;
          const name = `Task ${t} of ${tasksPerUser}`;
          rows.push({
            owner_id: ownerId,
            name,
            name_search: searchText(name),
            position: t,
            completed,
            completed_at: completed ? trx.fn.now() : null,
          });
          if (rows.length >= TASK_BATCH) await flush();
        }
      }
      await flush();
    });
    log(`  users ${Math.min(start + USER_BATCH - 1, users)}/${users}`);
  }
  return { usersCreated, tasksCreated };
}
