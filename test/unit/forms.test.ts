import { describe, expect, it } from 'vitest';
import { loginForm, registerForm } from '../../src/forms/auth-forms';
import { parseForm } from '../../src/forms/parse-form';
import { addTaskForm, editTaskForm, parseId } from '../../src/forms/task-forms';
import { TASK_NAME_MAX } from '../../src/limits';
import { authMessages } from '../../src/messages/auth';
import { taskMessages } from '../../src/messages/tasks';

describe('the task form', () => {
  it('trims names and counts the limit in characters', () => {
    expect(parseForm(addTaskForm, { task: '  Buy milk \n' })).toEqual({
      ok: true,
      value: { task: 'Buy milk', due: null },
    });
    expect(parseForm(addTaskForm, { task: 'é'.repeat(TASK_NAME_MAX) }).ok).toBe(true);
    expect(parseForm(addTaskForm, { task: 'é'.repeat(TASK_NAME_MAX + 1) })).toEqual({
      ok: false,
      errors: { task: taskMessages.taskTooLong },
    });
  });

  it('refuses blank, missing, array and NUL-carrying names', () => {
    for (const body of [
      { task: ' \t ' },
      {},
      undefined,
      { task: ['a', 'b'] },
      { task: { a: 1 } },
      { task: 'a\u0000b' },
    ]) {
      expect(parseForm(addTaskForm, body).ok).toBe(false);
    }
  });
});

describe('the due date field', () => {
  it('takes a real YYYY-MM-DD date, and empty or absent as no date', () => {
    expect(parseForm(addTaskForm, { task: 'a', due: '2026-12-04' })).toEqual({
      ok: true,
      value: { task: 'a', due: '2026-12-04' },
    });
    expect(parseForm(addTaskForm, { task: 'a', due: '2028-02-29' }).ok).toBe(true);
    expect(parseForm(addTaskForm, { task: 'a', due: '' })).toEqual({
      ok: true,
      value: { task: 'a', due: null },
    });
    expect(parseForm(addTaskForm, { task: 'a' })).toEqual({ ok: true, value: { task: 'a', due: null } });
  });

  it('refuses impossible and malformed dates, by the due field', () => {
    for (const due of [
      '2026-02-30',
      '2027-02-29',
      'tomorrow',
      '2026-1-5',
      '2026-13-01',
      '2026-12-04T10:00',
      '04/12/2026',
    ]) {
      expect(parseForm(addTaskForm, { task: 'a', due }), due).toEqual({
        ok: false,
        errors: { due: taskMessages.dueInvalid },
      });
    }
    expect(parseForm(addTaskForm, { task: 'a', due: ['2026-12-04'] }).ok).toBe(false);
    expect(parseForm(addTaskForm, { task: 'a', due: '0999-01-01' })).toEqual({
      ok: false,
      errors: { due: taskMessages.dueOutOfRange },
    });
  });

  it('editing: absent leaves the date, empty clears it', () => {
    expect(parseForm(editTaskForm, { name: 'a' })).toEqual({ ok: true, value: { name: 'a' } });
    expect(parseForm(editTaskForm, { name: 'a', due: '' })).toEqual({
      ok: true,
      value: { name: 'a', due: null },
    });
    expect(parseForm(editTaskForm, { name: 'a', due: '2026-12-04' })).toEqual({
      ok: true,
      value: { name: 'a', due: '2026-12-04' },
    });
  });
});

describe('the registration form', () => {
  const good = { email: ' Me@Example.COM ', password: 'long enough', verify: 'long enough' };

  it('normalises the email and keeps the password exactly as typed', () => {
    const padded = { ...good, password: '  spaced out  ', verify: '  spaced out  ' };
    expect(parseForm(registerForm, padded)).toEqual({
      ok: true,
      value: { email: 'me@example.com', password: '  spaced out  ', verify: '  spaced out  ' },
    });
  });

  it('puts each problem by its field', () => {
    const result = parseForm(registerForm, { email: 'nope', password: 'short', verify: 'short' });
    expect(result).toEqual({
      ok: false,
      errors: { email: authMessages.emailInvalid, password: authMessages.passwordTooShort },
    });
  });

  it('allows 1,024 characters of password in any script and refuses 1,025', () => {
    const cjk = '我的密码是一句很长的话'.repeat(100).slice(0, 1024);
    expect(parseForm(registerForm, { ...good, password: cjk, verify: cjk }).ok).toBe(true);
    const tooLong = cjk + 'x';
    expect(parseForm(registerForm, { ...good, password: tooLong, verify: tooLong })).toEqual({
      ok: false,
      errors: { password: authMessages.passwordTooLong },
    });
  });

  it('refuses overly long emails', () => {
    const email = `${'a'.repeat(250)}@example.com`;
    expect(parseForm(registerForm, { ...good, email }).ok).toBe(false);
  });
});

describe('the login form', () => {
  it('needs both fields as strings', () => {
    expect(parseForm(loginForm, { email: 'a@b.co', password: 'x' }).ok).toBe(true);
    expect(parseForm(loginForm, { email: 'a@b.co' }).ok).toBe(false);
    expect(parseForm(loginForm, { email: ['a@b.co'], password: 'x' }).ok).toBe(false);
  });
});

describe('parseId', () => {
  it('takes positive integers in range and nothing else', () => {
    expect(parseId('1')).toBe(1);
    expect(parseId('2147483647')).toBe(2147483647);
    for (const bad of [
      '0',
      '-1',
      '01',
      '1.5',
      '1e3',
      '1e309',
      '1 OR 1=1',
      '2147483648',
      '',
      ' 1',
      undefined,
      ['1'],
    ]) {
      expect(parseId(bad), String(bad)).toBeUndefined();
    }
  });
});
