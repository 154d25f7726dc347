"""The officers' web page (issue 18): the area at a glance, the due list, households,
cases, notices and reports, served by the bot's own aiohttp loop.  Officers sign in with
a one-use link the bot gives them (/web); every page checks role and area as the chat does."""
