import type { Metadata } from "next";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { SESSION_COOKIE } from "@/lib/auth/authenticate";
import { signedInStaff } from "@/lib/auth/signed-in-staff";
import { sameOriginPath } from "@/lib/http/same-origin-path";
import { getAppContext } from "@/lib/runtime/app-context";
import { SignInForm } from "./_components/sign-in-form";

export const metadata: Metadata = { title: "Sign in · Pnakotic" };


export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; expired?: string }> }) {
  const { next, expired } = await searchParams;
  // Only same-origin paths are followed after sign-in (no open redirect).
  const app = getAppContext();
  const staff = await signedInStaff(app.persistence.db, (await cookies()).get(SESSION_COOKIE)?.value, app.config.AUTH_CACHE_TTL_MS);
  if (staff) redirect(sameOriginPath(next));
  return (
    <main className="sign-in">
      <SignInForm next={sameOriginPath(next)} expired={expired === "1"} />
    </main>
  );
}
