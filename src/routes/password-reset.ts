import { Router, type NextFunction, type Request, type Response } from 'express';
import type session from 'express-session';
import type { Knex } from 'knex';
import { logSecurityEvent } from '../auth/audit';
import { continueAsOnlySession, replacePassword } from '../auth/password-change';
import type { Passwords } from '../auth/passwords';
import type { ResetRequestLimit } from '../auth/reset-request-limit';
import { hashResetToken, isResetTokenShaped, newResetToken } from '../auth/reset-tokens';
import { parseForm, textField, type FieldErrors } from '../forms/parse-form';
import { forgotPasswordForm, resetPasswordForm } from '../forms/password-reset-forms';
import type { BackgroundWork } from '../http/background-work';
import { flash } from '../http/flash';
import { EMAIL_MAX, PASSWORD_MIN, PASSWORD_RESET_TTL_MS } from '../limits';
import { loggableMailError, type Mailer } from '../mail/mailer';
import { passwordResetMessages as messages } from '../messages/password-reset';
import { findUsablePasswordReset, createPasswordReset, spendPasswordReset } from '../models/password-resets';
import { findUserByEmail } from '../models/users';
import { saveSession } from '../sessions/lifecycle';

interface PasswordResetDeps {
  db: Knex;
  passwords: Passwords;
  sessionStore: session.Store;
  mailer: Mailer;
  /** Links in emails start with it (config.baseUrl), never with the request's Host header. */
  baseUrl: string;
  requestLimit: ResetRequestLimit;
  background: BackgroundWork;
}

/** The token is in these pages' URL: no other site may learn it from a Referer header. */
function noReferrer(_req: Request, res: Response, next: NextFunction): void {
  res.set('Referrer-Policy', 'no-referrer');
  next();
}

export function passwordResetRouter(deps: PasswordResetDeps): Router {
  const { db, passwords, sessionStore, mailer, baseUrl, requestLimit, background } = deps;
  const router = Router();
  router.get('/password/forgot', getForgot);
  router.post('/password/forgot', postForgot);
  router.get('/password/reset/:token', noReferrer, getReset);
  router.post('/password/reset/:token', noReferrer, postReset);
  return router;

  function renderForgot(res: Response, status: number, email = '', errors: FieldErrors = {}) {
    res.status(status).render('password/forgot', {
      title: messages.forgotTitle,
      lead: mailer.canSend ? messages.forgotLead : messages.notConfigured,
      canSend: mailer.canSend,
      email,
      errors,
      limits: { EMAIL_MAX },
    });
  }

  function renderReset(
    res: Response,
    status: number,
    token: string,
    email: string,
    errors: FieldErrors = {},
  ) {
    res.status(status).render('password/reset', {
      title: messages.resetTitle,
      lead: messages.resetLead(email),
      token,
      errors,
      limits: { PASSWORD_MIN },
    });
  }

  function renderInvalidLink(res: Response) {
    res.status(404).render('password/invalid-link', {
      title: messages.invalidLinkTitle,
      text: messages.invalidLinkText,
    });
  }

  function getForgot(_req: Request, res: Response) {
    renderForgot(res, 200);
  }

  /** To the login page with a message: a visitor's waits in a cookie, a signed-in user's in the session. */
  async function backToLogin(req: Request, res: Response, kind: 'info' | 'error', text: string) {
    flash(req, kind, text);
    if (req.session.userId !== undefined) await saveSession(req);
    res.redirect(303, '/login');
  }

  async function postForgot(req: Request, res: Response) {
    if (!mailer.canSend) return backToLogin(req, res, 'error', messages.notConfigured);
    const form = parseForm(forgotPasswordForm, req.body);
    if (!form.ok) return renderForgot(res, 422, textField(req.body, 'email').trim(), form.errors);
    const email = form.value.email;
    const allowed = await requestLimit.allow(req, email);
    // The answer is the same whatever follows: whether the account exists, whether the request
    // was over its limit. Everything that depends on the account (the lookup, the write, the
    // email) runs after the response, so the response's timing cannot tell either.
    await backToLogin(req, res, 'info', messages.linkSent);
    if (!allowed) return logSecurityEvent(req, 'auth.throttled', { path: req.path });
    background.run('password reset email', async () => {
      const user = await findUserByEmail(db, email);
      logSecurityEvent(req, 'password.reset.requested', user ? { userId: user.id } : {});
      if (!user) return;
      const { token, tokenHash } = newResetToken();
      await createPasswordReset(db, {
        userId: user.id,
        tokenHash,
        expiresAt: new Date(Date.now() + PASSWORD_RESET_TTL_MS),
      });
      try {
        await mailer.send({
          to: user.email,
          subject: messages.mailSubject,
          text: messages.mailText(`${baseUrl}/password/reset/${token}`),
        });
      } catch (err) {
        req.log.error(
          { event: 'password.reset.mail_failed', userId: user.id, err: loggableMailError(err) },
          'the password reset email could not be sent',
        );
      }
    });
  }

  /** The account a link's token opens, if the link is still usable. */
  async function usableReset(token: string) {
    if (!isResetTokenShaped(token)) return undefined;
    return findUsablePasswordReset(db, hashResetToken(token));
  }

  async function getReset(req: Request<{ token: string }>, res: Response) {
    const reset = await usableReset(req.params.token);
    if (!reset) return renderInvalidLink(res);
    renderReset(res, 200, req.params.token, reset.email);
  }

  async function postReset(req: Request<{ token: string }>, res: Response) {
    const token = req.params.token;
    const reset = await usableReset(token);
    if (!reset) return renderInvalidLink(res);
    const form = parseForm(resetPasswordForm(reset.email), req.body);
    if (!form.ok) return renderReset(res, 422, token, reset.email, form.errors);
    const hash = await passwords.hash(form.value.password);
    // Spending the link, the new hash and the cut-off of every session that logged in before
    // now are one transaction: of two posts racing with one link, exactly one changes anything.
    const now = Date.now();
    const userId = await db.transaction(async (trx) => {
      const spentBy = await spendPasswordReset(trx, hashResetToken(token), new Date(now));
      if (spentBy === undefined) return undefined;
      await replacePassword(trx, spentBy, hash, now);
      return spentBy;
    });
    if (userId === undefined) return renderInvalidLink(res);
    await continueAsOnlySession(req, sessionStore, userId);
    logSecurityEvent(req, 'password.reset.used', { userId });
    flash(req, 'success', messages.passwordReset);
    await saveSession(req);
    res.redirect(303, '/');
  }
}
