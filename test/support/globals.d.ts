// Tests read JSON answers loosely; the assertions say what shape they expect.
declare global {
  interface Response {
    json(): Promise<any>;
  }
  interface Body {
    json(): Promise<any>;
  }
}
export {};
