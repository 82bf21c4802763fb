import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import { loginForm, registerForm } from '../forms/auth-forms';
import { parseForm, textField, type FieldErrors } from '../forms/parse-form';
import { EMAIL_MAX, PASSWORD_MIN } from '../limits';
import { messages } from '../messages';
import { flash } from '../middleware/flash';
import { createUser, findUserByEmail } from '../models/users';
import type { Passwords } from '../passwords';
import { regenerateSession, saveSession, startUserSession } from './session-helpers';

interface AuthDeps {
  db: Knex;
  passwords: Passwords;
}

export function authRouter({ db, passwords }: AuthDeps): Router {
  const router = Router();
  router.get('/register', getRegister);
  router.post('/register', postRegister);
  router.get('/login', getLogin);
  router.post('/login', postLogin);
  router.post('/logout', postLogout);
  return router;

  function renderRegister(res: Response, status: number, email = '', errors: FieldErrors = {}) {
    res.status(status).render('auth/register', {
      title: 'Create your account',
      email,
      errors,
      limits: { EMAIL_MAX, PASSWORD_MIN },
    });
  }

  function renderLogin(res: Response, status: number, email = '', error?: string) {
    res.status(status).render('auth/login', { title: 'Log in', email, error, limits: { EMAIL_MAX } });
  }

  function getRegister(_req: Request, res: Response) {
    if (res.locals.currentUser) return res.redirect(303, '/');
    renderRegister(res, 200);
  }

  async function postRegister(req: Request, res: Response) {
    const form = parseForm(registerForm, req.body);
    const typedEmail = textField(req.body, 'email').trim();
    if (!form.ok) return renderRegister(res, 422, typedEmail, form.errors);

    const user = await createUser(db, {
      email: form.value.email,
      passwordHash: await passwords.hash(form.value.password),
    });
    if (!user) return renderRegister(res, 422, typedEmail, { email: messages.emailTaken });

    await startUserSession(req, user.id);
    flash(req, 'success', messages.registered);
    await saveSession(req); // stored before the redirect, so the next page sees the login
    res.redirect(303, '/');
  }

  function getLogin(_req: Request, res: Response) {
    if (res.locals.currentUser) return res.redirect(303, '/');
    renderLogin(res, 200);
  }

  async function postLogin(req: Request, res: Response) {
    const form = parseForm(loginForm, req.body);
    const typedEmail = textField(req.body, 'email').trim();
    if (!form.ok) return renderLogin(res, 401, typedEmail, messages.loginFailed);

    const checkedAt = Date.now();
    const user = await findUserByEmail(db, form.value.email);
    // An unknown email costs the same bcrypt work as a wrong password.
    const valid = user
      ? await passwords.verify(form.value.password, user.passwordHash)
      : await passwords.verifyAgainstDummy(form.value.password);
    if (!user || !valid) {
      req.log.info({ event: 'auth.fail' }, 'login failed');
      return renderLogin(res, 401, typedEmail, messages.loginFailed);
    }

    await startUserSession(req, user.id, checkedAt);
    flash(req, 'success', messages.loggedIn);
    await saveSession(req);
    res.redirect(303, '/');
  }

  async function postLogout(req: Request, res: Response) {
    // regenerate() destroys the old session in the store; the new, anonymous one only carries
    // the goodbye message to the login page.
    await regenerateSession(req);
    flash(req, 'info', messages.loggedOut);
    await saveSession(req);
    res.redirect(303, '/login');
  }
}
