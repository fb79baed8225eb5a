import type { AccessTokenClaims } from '@gatehouse/resource';

/** Who called, as the verified token says: what the demo SPA shows next to each answer. */
export interface Caller {
  sub: string;
  actor: AccessTokenClaims['actor'];
  tenant: string;
  clientId: string;
  scopes: string[];
}

export interface Answer {
  id: number;
  question: string;
  text: string;
  askedBy: Pick<Caller, 'sub' | 'actor'>;
  createdAt: string;
}

/** Longest question accepted, in characters. */
export const MAX_QUESTION_LENGTH = 500;

/** Answers the API remembers, newest last; older ones are dropped beyond this. */
const MAX_ANSWERS = 50;

export function describeCaller(claims: AccessTokenClaims): Caller {
  return {
    sub: claims.sub,
    actor: claims.actor,
    tenant: claims.tenant,
    clientId: claims.clientId,
    scopes: claims.scopes,
  };
}

/** An in-memory answer book standing in for an AI service: enough to show reads and writes. */
export function createAnswerBook(now: () => Date = () => new Date()) {
  const answers: Answer[] = [];
  let nextId = 1;

  return {
    list(): readonly Answer[] {
      return answers;
    },
    add(question: string, caller: Caller): Answer {
      const answer: Answer = {
        id: nextId++,
        question,
        text: `Noted: "${question}". A real AI service would answer here; this demo only records who asked.`,
        askedBy: { sub: caller.sub, actor: caller.actor },
        createdAt: now().toISOString(),
      };
      answers.push(answer);
      if (answers.length > MAX_ANSWERS) answers.shift();
      return answer;
    },
  };
}

export type AnswerBook = ReturnType<typeof createAnswerBook>;
