// Progressive enhancement lives here (issue 3).
