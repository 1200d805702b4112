/** @type {import("next").NextConfig} */
const nextConfig = {
  // The API and dashboard never need the x-powered-by banner.
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
