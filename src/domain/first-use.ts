// A module (or anything costly) made on first use rather than when the process starts: what a hub
// may never need (nodemailer, the hints model, the address-checking fetch) is not loaded by every
// `serve`. Callers that ask at once share the one promise, so it is made once; a failure is not
// kept: the next caller tries again, rather than every later caller failing with the first's error.

/** `make` is run by the first call and its promise shared until it fails; `made()` is the value once made. */
export function onFirstUse<T>(make: () => Promise<T>): { (): Promise<T>; made(): T | undefined } {
  let making: Promise<T> | undefined;
  let value: T | undefined;
  let done = false;
  const get = () =>
    (making ??= make().then(
      (v) => {
        value = v;
        done = true;
        return v;
      },
      (e: unknown) => {
        making = undefined;
        throw e;
      },
    ));
  return Object.assign(get, { made: () => (done ? value : undefined) });
}
