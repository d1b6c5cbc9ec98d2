import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

const nextAuth = NextAuth(authOptions);
export { nextAuth as GET, nextAuth as POST };
