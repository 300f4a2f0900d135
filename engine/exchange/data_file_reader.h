#pragma once
// DataFileReader: reads the records of one uncompressed import or export data file, one DataLine
// at a time. The reader borrows the text (the caller keeps it alive). Not thread-safe.

#include "engine/exchange/data_record.h"

namespace capsim::exchange {

class DataFileReader {
public:
    virtual ~DataFileReader() = default;

    // Fills `out` with the next record or line error and returns true; returns false at the end of
    // the file, and after an Unparseable line (the rest of the file is not read, reference A9).
    virtual bool next(DataLine& out) = 0;
};

} // namespace capsim::exchange
