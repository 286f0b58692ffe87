import { lessonIdFromTitle, validateLessonInput } from './lessons';

describe('lessons', () => {
  it('makes ids from titles', () => {
    expect(lessonIdFromTitle('GitLab runner verdict drops')).toBe(
      'gitlab-runner-verdict-drops',
    );
    expect(lessonIdFromTitle('  Flux: prune!! ')).toBe('flux-prune');
    expect(lessonIdFromTitle('a'.repeat(70))).toHaveLength(64);
  });

  it('accepts a full lesson and trims it', () => {
    const { input, problems } = validateLessonInput(
      {
        title: ' Runner drops ',
        summary: 'Jobs time out',
        actions: [
          { description: 'Label job pods', owner: 'group:default/gitlab-smes' },
          { description: 'Allow DNS', status: 'done' },
        ],
        status: 'monitoring',
        ticketType: 'gitlab-ci-access',
        incidents: ['INC13076950', 'INC13076950'],
        kbArticles: ['KB0010002'],
        playbooks: ['gitlab-ci-access'],
      },
      { partial: false },
    );
    expect(problems).toEqual([]);
    expect(input).toEqual({
      title: 'Runner drops',
      summary: 'Jobs time out',
      actions: [
        {
          description: 'Label job pods',
          owner: 'group:default/gitlab-smes',
          status: 'open',
        },
        { description: 'Allow DNS', status: 'done' },
      ],
      status: 'monitoring',
      ticketType: 'gitlab-ci-access',
      incidents: ['INC13076950'],
      kbArticles: ['KB0010002'],
      playbooks: ['gitlab-ci-access'],
    });
  });

  it('names the key of every problem', () => {
    expect(
      validateLessonInput(
        {
          id: 'Bad Id',
          summary: '',
          status: 'done',
          ticketType: 'printer',
          actions: [{ description: 'x', status: 'later' }, { owner: 'me' }],
          incidents: ['not a number'],
          colour: 'red',
        },
        { partial: false },
      ).problems,
    ).toEqual([
      'colour: is not a known key (known: id, title, summary, rootCause, actions, status, ticketType, incidents, kbArticles, playbooks)',
      'id: must be lowercase letters, digits and dashes (at most 64)',
      'title: is required',
      'summary: must be a non-empty string of at most 8000 characters',
      'status: must be one of open, monitoring, closed',
      'ticketType: must be one of egress, gitlab-ci-access, node-provisioning, gitops, namespace-access, cluster-outage, security, connectivity, other',
      'actions[0].status: must be open or done',
      'actions[1].description: must be a non-empty string',
      'incidents: "not a number" not incident numbers (e.g. INC13076950)',
    ]);
  });

  it('checks only the keys given for a partial update', () => {
    expect(
      validateLessonInput({ status: 'closed' }, { partial: true }),
    ).toEqual({ input: { status: 'closed' }, problems: [] });
  });
});
