// The words to show for a failed request: the API's detail, or what went wrong getting it.
import { problemOf, type ApiProblem } from '../api/errors'
import { t } from '../i18n'

export function describe(problem: ApiProblem): string {
  if (problem.status === 0) return t('common.unreachable')
  return problem.detail || t('common.error', { status: problem.status })
}

export function explain(error: unknown): string {
  return describe(problemOf(error))
}

/** The server has no such route (Litestar's own 404 "Not Found"), as opposed to a 404 about a
 * missing resource ("approval 'x' not found"): the feature is not on this server yet. */
export function routeMissing(error: unknown): boolean {
  const problem = problemOf(error)
  return problem.status === 404 && /^not found$/i.test(problem.detail.trim())
}
