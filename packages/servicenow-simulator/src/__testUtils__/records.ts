/** A sys_id: 32 lowercase hex digits. */
export const SYS_ID = /^[0-9a-f]{32}$/;

/** Checks that every value of a record, and of its reference objects, is a string. */
export function assertAllStrings(rec: Record<string, unknown>) {
  for (const [k, v] of Object.entries(rec)) {
    if (typeof v === 'object' && v !== null) {
      for (const inner of Object.values(v)) expect(typeof inner).toBe('string');
    } else {
      expect({ k, type: typeof v }).toEqual({ k, type: 'string' });
    }
  }
}
