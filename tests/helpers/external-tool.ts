import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an external tool to completion (bounded), feeding `input` on stdin. Never throws on a non-zero exit. */
export function runTool(command: string, args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} did not finish within ${options.timeoutMs ?? 60_000} ms:\n${stdout}\n${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/**
 * The path of an external tool (env override, else PATH, else Debian's sbin), or null when it is
 * missing. Outside CI a missing tool skips its tests with a message; in CI (.ci/run installs them)
 * it fails them.
 */
export function findTool(name: string, override: string | undefined): string | null {
  if (override) return override;
  for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/bin"]) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  if (process.env.CI === "true") throw new Error(`${name} is not installed (.ci/run installs it from Debian)`);
  console.warn(`${name} is not installed: its tests are skipped (apt-get install ${name === "promtool" ? "prometheus" : name === "python3" ? "python3" : name})`);
  return null;
}
