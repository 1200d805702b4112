import { describe, expect, it } from "vitest";
import { statDeclarationSchema, statKeySchema } from "../../lib/stats/stat-definition.ts";

describe("stat keys", () => {
  it("refuses ledger field names, player columns and JavaScript prototype names", () => {
    for (const key of ["name", "room", "profession", "version", "status", "inventory", "constructor", "toString", "valueOf", "hasOwnProperty", "__proto__", "isPrototypeOf"]) {
      const result = statDeclarationSchema.safeParse({ key, label: "X", max: 10 });
      expect(result.success, key).toBe(false);
    }
    expect(statKeySchema.safeParse("constructor").error?.issues[0]?.message).toMatch(/constructor is reserved/);
  });

  it("accepts ordinary keys, including ones that merely contain a reserved word", () => {
    for (const key of ["gold", "mana", "roomKeys", "nameDay", "versionedGold", "toStringCount", "lucidity_2"]) {
      expect(statKeySchema.safeParse(key).success, key).toBe(true);
    }
  });
});
