import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SESSION_COOKIE } from "@/lib/auth/authenticate";
import { signedInStaff } from "@/lib/auth/signed-in-staff";
import { getAppContext } from "@/lib/runtime/app-context";
import { SignInForm } from "./_components/sign-in-form";

export const metadata: Metadata = { title: "Sign in · Pnakotic" };

/** Only same-site paths are followed after sign-in (no open redirect). */
function safeNext(next: string | undefined): string {
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/sign-in") ? next : "/";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; expired?: string }> }) {
  const { next, expired } = await searchParams;
  const app = getAppContext();
  const staff = await signedInStaff(app.persistence.db, (await cookies()).get(SESSION_COOKIE)?.value, app.config.AUTH_CACHE_TTL_MS);
  if (staff) redirect(safeNext(next));
  return (
    <main className="sign-in">
      <SignInForm next={safeNext(next)} expired={expired === "1"} />
    </main>
  );
}
