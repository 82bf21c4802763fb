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

/**
 * Powerful browser features the app never uses, off for every page (and for anything framed
 * in it, which the CSP forbids anyway).
 */
const PERMISSIONS_POLICY = [
  'accelerometer',
  'autoplay',
  'camera',
  'display-capture',
  'geolocation',
  'gyroscope',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'publickey-credentials-get',
  'screen-wake-lock',
  'usb',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

export function permissionsPolicy(_req: Request, res: Response, next: NextFunction): void {
  res.set('Permissions-Policy', PERMISSIONS_POLICY);
  next();
}

/** Pages are per-user: never let a shared cache or the back button after logout show them. */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.set('Cache-Control', 'no-store');
  next();
}
