/** EDL's browser login session: after one form login, authorize redirects without asking again. */
export interface BrowserSessions {
  /** Starts a session for `uid`; returns the cookie value. */
  create(uid: string): string
  /** The uid of the session named in a `Cookie` header, if any. */
  uidFor(cookieHeader: string | undefined): string | undefined
  /** Ends the session named in a `Cookie` header. */
  end(cookieHeader: string | undefined): void
}

/** The session cookie's name (EDL's own). */
export const SESSION_COOKIE = '_urs-gui_session'

const MAX_SESSIONS = 10_000

/**
 * In-memory sessions, oldest dropped beyond 10 000.
 *
 * @example
 * const sessions = createBrowserSessions(() => randomUUID())
 */
export function createBrowserSessions(randomId: () => string): BrowserSessions {
  const sessions = new Map<string, string>()
  const idFrom = (header: string | undefined): string | undefined => {
    for (const part of (header ?? '').split(';')) {
      const [name, ...value] = part.trim().split('=')
      if (name === SESSION_COOKIE) return value.join('=')
    }
    return undefined
  }
  return {
    create: (uid) => {
      const id = randomId()
      sessions.set(id, uid)
      if (sessions.size > MAX_SESSIONS) sessions.delete(sessions.keys().next().value ?? '')
      return id
    },
    uidFor: (header) => {
      const id = idFrom(header)
      return id === undefined ? undefined : sessions.get(id)
    },
    end: (header) => {
      const id = idFrom(header)
      if (id !== undefined) sessions.delete(id)
    },
  }
}

/** `Set-Cookie` for a new session, or (`undefined`) one that clears it. */
export function sessionCookie(id: string | undefined): string {
  const base = `${SESSION_COOKIE}=${id ?? ''}; Path=/; HttpOnly; SameSite=Lax`
  return id === undefined ? `${base}; Max-Age=0` : base
}
