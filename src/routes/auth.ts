import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Knex } from 'knex';
import { logSecurityEvent } from '../auth/audit';
import type { LoginThrottle } from '../auth/login-throttle';
import type { Passwords } from '../auth/passwords';
import { loginForm, registerForm } from '../forms/auth-forms';
import { parseForm, textField, type FieldErrors } from '../forms/parse-form';
import { flash } from '../http/flash';
import { EMAIL_MAX, PASSWORD_MIN } from '../limits';
import { authMessages } from '../messages/auth';
import { DEFAULT_TIME_ZONE } from '../dates/time-zones';
import { createUser, findUserByEmail, updatePasswordHash, updateTimeZone } from '../models/users';
import { endSession, saveSession, startUserSession } from '../sessions/lifecycle';

interface AuthDeps {
  db: Knex;
  passwords: Passwords;
  loginThrottle: LoginThrottle;
  registrationThrottle: RequestHandler;
}

export function authRouter({ db, passwords, loginThrottle, registrationThrottle }: AuthDeps): Router {
  const router = Router();
  router.get('/register', getRegister);
  router.post('/register', registrationThrottle, postRegister);
  router.get('/login', getLogin);
  router.post('/login', loginThrottle.check, postLogin);
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
      timeZone: form.value.tz ?? DEFAULT_TIME_ZONE,
    });
    if (!user) return renderRegister(res, 422, typedEmail, { email: authMessages.emailTaken });
    await startUserSession(req, user.id);
    flash(req, 'success', authMessages.registered);
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
    if (!form.ok) return renderLogin(res, 401, typedEmail, authMessages.loginFailed);
    const checkedAt = Date.now();
    const user = await findUserByEmail(db, form.value.email);
    // An unknown email costs the same bcrypt work as a wrong password.
    const valid = user
      ? await passwords.verify(form.value.password, user.passwordHash)
      : await passwords.verifyAgainstDummy(form.value.password);
    if (!user || !valid) {
      logSecurityEvent(req, 'auth.fail', user ? { userId: user.id } : {});
      return renderLogin(res, 401, typedEmail, authMessages.loginFailed);
    }
    await loginThrottle.recordSuccess(req);
    // The browser's zone, until the user chooses one on the account page.
    if (form.value.tz && !user.timeZoneChosen && form.value.tz !== user.timeZone) {
      await updateTimeZone(db, user.id, form.value.tz, { chosen: false });
    }
    // A hash from before the current scheme is replaced now, while the password is at hand.
    if (passwords.needsRehash(user.passwordHash)) {
      await updatePasswordHash(db, user.id, await passwords.hash(form.value.password));
    }
    logSecurityEvent(req, 'auth.ok', { userId: user.id });
    await startUserSession(req, user.id, checkedAt);
    flash(req, 'success', authMessages.loggedIn);
    await saveSession(req);
    res.redirect(303, '/');
  }

  async function postLogout(req: Request, res: Response) {
    if (req.session.userId !== undefined)
      logSecurityEvent(req, 'auth.logout', { userId: req.session.userId });
    await endSession(req, res);
    flash(req, 'info', authMessages.loggedOut); // a visitor's notice: nothing is stored
    res.redirect(303, '/login');
  }
}
