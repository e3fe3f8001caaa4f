/**
 * The picture of the survey link message the chat sidebar sends (a white survey sheet with a
 * tick on the brand blue, 120×120 PNG), served at SURVEY_LINK_PICTURE_PATH: WeCom's link
 * message shows it beside the title (`imgUrl`).
 */
export const SURVEY_LINK_PICTURE_PATH = '/assets/survey-link.png';

export const SURVEY_LINK_PICTURE = Buffer.from(
  [
    'iVBORw0KGgoAAAANSUhEUgAAAHgAAAB4CAIAAAC2BqGFAAABdklEQVR42u3awRWCQAwEUHuyMVv2ahPaARdgEpPvmzNPPwLLZB/P',
    '11cCeSAADVpAgwZNATRoAQ0aNAXQoAU0aNDleX/uDWjQoEGDBg16KvS/f0CDBg0aNGjQoEGDBg0aNGjQoEGDBg0aNGjQoEGDruQD',
    'nfuTgs7dCkDnbrigQ4810KHFA+jQEg006PbQJ78q6IQy6JAy6Is7CtDFyqBDyqBDyqDvfQCOhb7q3Nxx+udAX3Ud3HSRDYEu4VgH',
    'XXIb3TgzzC+/lg5nw69te6fgycZn9XaDk8fJrOXnrzqODxV7Yxq+jj4+WvLVdPKbYasCYFrX0bZmGVgq9SyzZrZ3DSvDsTVpt2J2',
    'ch/dqv4eXvz3GTLMn7CAzv34DjOzLTPD8snkouFs7fx31xS8cMq+brtB1V6Gjfs6SnaM2EADGjRo0KBBgwYNGjRo0KBBgwYNGjRo',
    '0KBBgwYNGrSABi2gQYMW0KAFNGjQAhq0gAYNWkCDFtCgl+QHYqhtbeTjn34AAAAASUVORK5CYII=',
  ].join(''),
  'base64',
);
