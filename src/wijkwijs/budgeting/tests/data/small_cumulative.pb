META
key;value
description;Small test instance
country;Netherlands
unit;Testdorp
instance;2025
num_projects;3
num_votes;3
budget;100.5
vote_type;cumulative
rule;greedy
max_sum_points;5
PROJECTS
project_id;cost;name;own_contribution
p1;50;Speeltuin;25
p2;40,5;"Bankjes; met ;puntkomma";None
p3;30;Bomen;0
VOTES
voter_id;vote;points;age
v1;p1,p2;3,2;34
v2;p3;5;None
v3;;;51
