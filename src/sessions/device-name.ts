// What the account page calls a signed-in device: "Firefox on Linux", "Safari on iPhone". Only
// this short name is kept in the session, never the whole User-Agent header.

/** Longer headers are not read: no browser sends one, and a regex must not chew on megabytes. */
const USER_AGENT_READ_MAX = 512;

// Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", and every iOS browser
// is Safari underneath (its own name is in CriOS, FxiOS, EdgiOS).
const BROWSERS: [RegExp, string][] = [
  [/\b(?:Edg|EdgA|EdgiOS|Edge)\//, 'Edge'],
  [/\b(?:OPR|OPiOS|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bVivaldi\//, 'Vivaldi'],
  [/\b(?:Firefox|FxiOS)\//, 'Firefox'],
  [/\b(?:HeadlessChrome|Chrome|CriOS)\//, 'Chrome'],
  [/\bChromium\//, 'Chromium'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

const SYSTEMS: [RegExp, string][] = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

export const UNKNOWN_DEVICE = 'Unknown browser';

/** A short, readable name for the browser and system a User-Agent header names. */
export function deviceName(userAgent: string | undefined): string {
  const header = (userAgent ?? '').slice(0, USER_AGENT_READ_MAX);
  const browser = BROWSERS.find(([pattern]) => pattern.test(header))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(header))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  if (browser) return browser;
  if (system) return `${UNKNOWN_DEVICE} on ${system}`;
  return UNKNOWN_DEVICE;
}
