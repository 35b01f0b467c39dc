"""The board the Slack and Teams end-to-end tests work: the same people as the
console harness, with work e-mails so chat accounts link to them."""


def seed_commands(chair: str) -> list[str]:
    """Commands (without /board) that set the board up; ``chair`` is how the
    platform mentions the first user, who adds themselves as chair."""
    return [
        f'member add {chair} "Cara Hale" initials CH org "Borough Council" role chair email cara@board.test',
        'member add @sec "Sam Reed" initials SR org "Children\'s Trust" role secretariat email sam@board.test',
        'member add @lead "Lee Moss" initials LM org "ICB" role member email lee@board.test',
        'member add @owen "Owen Pike" initials OP org "Health Trust" role member email owen@board.test',
        'member add @mia "Mia Lund" initials ML org "School" role member email mia@board.test',
        'member add @pat "Pat Quinn" initials PQ org "Parent Carer Forum" role parent-rep email pat@board.test',
        'workstream add "Local provision" lead @lead',
        'meeting add 7/1/2027 10:00 until 12:00 at "Civic Centre"',
    ]
