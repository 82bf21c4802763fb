import helmet from 'helmet';
import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config';

/** Security headers, with a CSP that allows no inline script or style anywhere. */
export function securityHeaders(config: Config) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(config.env === 'production' ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS only makes sense over TLS, i.e. in production.
    strictTransportSecurity: config.env === 'production',
  });
}

/** Pages are per-user: never let a shared cache or the back button after logout show them. */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.set('Cache-Control', 'no-store');
  next();
}
